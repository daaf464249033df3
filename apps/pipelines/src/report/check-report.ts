// Opens a run report in headless Chromium (Debian's, driven by playwright-core) and reports what
// a reader would meet: console and page errors, requests leaving the file, and per chart the
// data points actually drawn (polyline vertices as the browser parsed them, bars, dots).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './chromium-path';
import { RunReportError } from './run-report-error';

export interface CheckedChart {
  readonly id: string;
  readonly title: string;
  /** Data points drawn: vertices of `polyline[data-series]` plus `[data-value]` marks. */
  readonly points: number;
  /** P&L dots marked as VaR breaches. */
  readonly breaches: number;
  /** The chart shows "no data" instead of marks. */
  readonly noData: boolean;
  /** The chart has a non-zero size on the page. */
  readonly rendered: boolean;
  /** The hover read-out at the chart's centre (dated charts), or null. */
  readonly tooltip: string | null;
}

export interface ReportCheck {
  readonly title: string;
  readonly consoleErrors: readonly string[];
  /** Anything the page tried to load from outside its own file. */
  readonly externalRequests: readonly string[];
  readonly charts: readonly CheckedChart[];
  /** The page's visible text, as the reader sees it. */
  readonly bodyText: string;
}

export interface CheckReportOptions {
  /** The Chromium binary; default FINKS_CHROMIUM, `chromium` on PATH, /usr/bin/chromium. */
  readonly executablePath?: string;
}

// Runs in the page; a string because this project's TypeScript has no DOM types.
const COUNT_CHARTS = `[...document.querySelectorAll('svg[data-chart]')].map((svg) => {
  const box = svg.getBoundingClientRect();
  const vertices = [...svg.querySelectorAll('polyline[data-series]')]
    .reduce((n, line) => n + line.points.numberOfItems, 0);
  return {
    id: svg.dataset.chart,
    title: svg.getAttribute('aria-label') || '',
    points: vertices + svg.querySelectorAll('[data-value]').length,
    breaches: svg.querySelectorAll('.breach').length,
    noData: svg.querySelector('.no-data') !== null,
    rendered: box.width > 0 && box.height > 0,
    dated: svg.hasAttribute('data-x0'),
  };
})`;

const TOOLTIP_TEXT = `(() => {
  const tip = document.getElementById('tooltip');
  return tip && !tip.hidden ? tip.textContent : null;
})()`;

async function launch(executablePath: string): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      // Chromium refuses its sandbox as root (CI containers); the page is our own local file.
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
      timeout: 60_000,
    });
  } catch (cause) {
    throw new RunReportError(
      'browser_failed',
      `could not start Chromium at ${executablePath}: check that \`${executablePath} --version\` runs, or reinstall with tools/dev-env/chromium.sh`,
      { cause },
    );
  }
}

export async function checkReportInBrowser(
  file: string,
  options: CheckReportOptions = {},
): Promise<ReportCheck> {
  if (!existsSync(file)) {
    throw new RunReportError(
      'invalid_options',
      `no report at ${file}: write it with writeRunReport first`,
    );
  }
  const executablePath = chromiumPath(options.executablePath);
  const url = pathToFileURL(resolve(file)).href;
  const browser = await launch(executablePath);
  try {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    const externalRequests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (request.url() !== url && !request.url().startsWith('data:')) {
        externalRequests.push(request.url());
      }
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response !== null && !response.ok()) {
      throw new RunReportError(
        'browser_failed',
        `Chromium could not load ${url}: ${response.status()}`,
      );
    }
    const found = (await page.evaluate(COUNT_CHARTS)) as (Omit<CheckedChart, 'tooltip'> & {
      dated: boolean;
    })[];
    const charts: CheckedChart[] = [];
    for (const [index, { dated, ...chart }] of found.entries()) {
      let tooltip: string | null = null;
      if (dated) {
        await page.locator('svg[data-chart]').nth(index).hover();
        tooltip = (await page.evaluate(TOOLTIP_TEXT)) as string | null;
      }
      charts.push({ ...chart, tooltip });
    }
    return {
      title: await page.title(),
      consoleErrors,
      externalRequests,
      charts,
      bodyText: await page.locator('body').innerText(),
    };
  } finally {
    await browser.close();
  }
}
