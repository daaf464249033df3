// The HTML run report from a small gold zone, opened in headless Chromium (Debian's chromium,
// installed by tools/dev-env/chromium.sh): it renders, every chart has data, breaches are marked
// where the fixture's P&L falls below -VaR, and hostile dataset names stay text.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { martFolder } from '../../src/master-flow/gold-summary';
import type { LocalLakeTarget } from '../../src/master-flow/local-lake-target';
import {
  checkReportInBrowser,
  REPORT_DATA_ELEMENT_ID,
  RunReportError,
  writeRunReport,
  type ChartModel,
  type ReportCheck,
} from '../../src/report';
import {
  EXPECTED_BREACHES,
  HOSTILE_DATASET,
  HOSTILE_SILVER_DATASET,
  masterFlowResultFixture,
  TRADING_DAYS,
  writeGoldFixture,
} from './gold-fixture';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-run-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixtureLake(name: string, options: Parameters<typeof writeGoldFixture>[1] = {}) {
  const lake: LocalLakeTarget = { root: join(dir, name), env: 'local', accountId: '123456789012' };
  await writeGoldFixture(lake, options);
  return lake;
}

function embeddedCharts(html: string): ChartModel[] {
  const match = new RegExp(
    `<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">([^<]*)</script>`,
  ).exec(html);
  expect(match, 'the page embeds its chart data').not.toBeNull();
  return (JSON.parse(match?.[1] ?? 'null') as { charts: ChartModel[] }).charts;
}

const pointsIn = (chart: ChartModel) => chart.series.reduce((n, s) => n + s.points.length, 0);

describe('run report with every mart filled', () => {
  let html: string;
  let check: ReportCheck;

  beforeAll(async () => {
    const lake = await fixtureLake('full');
    const written = await writeRunReport({
      lake,
      result: masterFlowResultFixture(),
      outFile: join(dir, 'out', 'full', 'run-report.html'),
    });
    html = await readFile(written.file, 'utf8');
    check = await checkReportInBrowser(written.file);
  });

  it('renders in Chromium with no console errors and loads nothing from outside the file', () => {
    expect(check.consoleErrors).toEqual([]);
    expect(check.externalRequests).toEqual([]);
    expect(html).not.toMatch(/https?:\/\//);
    expect(check.title).toBe(`Finks run report ${TRADING_DAYS.at(-1)}`);
  });

  it('draws every chart with data, as many points as the embedded data holds', () => {
    const charts = embeddedCharts(html);
    expect(check.charts.map((c) => c.id)).toEqual([
      'portfolio-value',
      'daily-returns',
      'var-vs-pnl-1',
      'var-vs-pnl-2',
      'data-quality',
    ]);
    for (const chart of check.charts) {
      const model = charts.find((c) => c.id === chart.id);
      expect(chart.points, chart.id).toBeGreaterThan(0);
      expect(chart.points, chart.id).toBe(model && pointsIn(model));
      expect(chart.rendered, chart.id).toBe(true);
      expect(chart.noData, chart.id).toBe(false);
    }
    // Total plus both portfolios, each over every trading day.
    expect(check.charts[0]?.points).toBe(3 * TRADING_DAYS.length);
    // Returns are defined from the second day on.
    expect(check.charts[1]?.points).toBe(TRADING_DAYS.length - 1);
  });

  it('marks the days whose P&L fell below -VaR at the previous close', () => {
    const charts = embeddedCharts(html);
    const alpha = charts.find((c) => c.title.endsWith('p-alpha'));
    const beta = charts.find((c) => c.title.endsWith('p-beta'));
    expect(alpha?.breaches).toEqual(EXPECTED_BREACHES['p-alpha']);
    expect(beta?.breaches).toEqual(EXPECTED_BREACHES['p-beta']);
    expect(check.charts.find((c) => c.id === alpha?.id)?.breaches).toBe(2);
    expect(check.charts.find((c) => c.id === beta?.id)?.breaches).toBe(0);
    // Days 10..29 have a VaR at the close before them: 20 P&L dots and 20 limit vertices.
    expect(check.charts.find((c) => c.id === alpha?.id)?.points).toBe(2 * 20);
    expect(check.bodyText).toMatch(/p-alpha\s+20\s+2\s+10\.0 %/);
  });

  it('shows the run header: correlation id, as-of date, market, dbt result, failed steps', () => {
    expect(check.bodyText).toContain('fixture-run-7 "quoted" & <tagged>');
    expect(check.bodyText).toContain(`As of\n${TRADING_DAYS.at(-1)}`);
    expect(check.bodyText).toContain('fake (built-in fake FMP market)');
    expect(check.bodyText).toContain('passed: dbt build: 42 passed & 0 failed <ok>');
    expect(check.bodyText).toContain('ingest-mongodb: connect ECONNREFUSED <127.0.0.1:27017>');
  });

  it('shows hostile dataset names as text and never runs them', () => {
    expect(check.bodyText).toContain(`fmp.${HOSTILE_DATASET}`);
    expect(check.bodyText).toContain(HOSTILE_SILVER_DATASET);
    expect(html).not.toContain(HOSTILE_DATASET);
    expect(html).not.toContain('<img src=x');
    // Had either run, its console.error (or the CSP refusing it) would be here.
    expect(check.consoleErrors).toEqual([]);
  });

  it('shows each chart a hover read-out with the nearest day', () => {
    for (const chart of check.charts.filter((c) => c.id !== 'data-quality')) {
      expect(chart.tooltip, chart.id).toMatch(/^\d{4}-\d{2}-\d{2} {2}/);
    }
  });
});

describe('run report with an empty VaR mart and no monthly mart', () => {
  it('says "no data" for the VaR chart and still renders without errors', async () => {
    const lake = await fixtureLake('empty-var', { emptyVar: true, withoutMonthly: true });
    const { file } = await writeRunReport({
      lake,
      result: masterFlowResultFixture(),
      outFile: join(dir, 'out', 'empty-var', 'run-report.html'),
    });
    const check = await checkReportInBrowser(file);
    expect(check.consoleErrors).toEqual([]);
    const varChart = check.charts.find((c) => c.id === 'var-vs-pnl');
    expect(varChart).toMatchObject({ noData: true, points: 0, breaches: 0, rendered: true });
    expect(check.bodyText).toMatch(/VaR 95 % against realised P&L[^]*no data/);
    expect(check.charts.find((c) => c.id === 'portfolio-value')?.points).toBeGreaterThan(0);
  });
});

describe('run report errors', () => {
  it('names the set-up step when Chromium is missing', async () => {
    const file = join(dir, 'tiny.html');
    await writeFile(file, '<!doctype html><title>t</title>');
    const error = await checkReportInBrowser(file, {
      executablePath: join(dir, 'no-chromium'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunReportError);
    expect(error).toMatchObject({ code: 'chromium_missing' });
    expect((error as Error).message).toContain('bash tools/dev-env/chromium.sh');
  });

  it('rejects an output file that is not .html', async () => {
    const lake = { root: join(dir, 'unused'), env: 'local' as const, accountId: '123456789012' };
    await expect(
      writeRunReport({ lake, result: masterFlowResultFixture(), outFile: join(dir, 'report.txt') }),
    ).rejects.toMatchObject({ code: 'invalid_options', message: expect.stringContaining('.html') });
  });

  it('names the mart and the missing column when gold was built by other models', async () => {
    const lake = await fixtureLake('old-var');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const file = join(martFolder(lake, 'var_calculations'), 'var_calculations.parquet');
    await connection.run(
      `copy (select 'p-alpha' as portfolio_id, date '2026-09-01' as trade_date) to '${file}' (format parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    await expect(
      writeRunReport({ lake, result: masterFlowResultFixture(), outFile: join(dir, 'old.html') }),
    ).rejects.toMatchObject({
      code: 'mart_unreadable',
      message: expect.stringMatching(/var_calculations.*historical_var_95_amount/),
    });
  });
});
