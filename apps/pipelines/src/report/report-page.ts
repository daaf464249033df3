// The run report as one self-contained HTML page: inline CSS, inline SVG, the chart data as JSON
// and a small inline script for hover read-outs. The Content-Security-Policy allows nothing from
// outside the file and only the page's own script (by hash), so even a markup injection that
// slipped past escaping could neither run nor load anything.
import { createHash } from 'node:crypto';
import { describeTotalValue } from '../master-flow/gold-summary';
import { buildCharts, type ChartModel } from './chart-model';
import { formatValue } from './chart-scale';
import { escapeHtml, jsonForScript } from './html-escape';
import type { RunReportData } from './report-data';
import { renderChartSvg, seriesColor } from './svg-charts';

/** The id of the `<script type="application/json">` holding the charts' data. */
export const REPORT_DATA_ELEMENT_ID = 'finks-report-data';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 16px 24px 48px; color: #111827; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 28px 0 2px; }
.note { color: #4b5563; margin: 0 0 6px; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.header dt { color: #4b5563; } dl.header dd { margin: 0; font-variant-numeric: tabular-nums; }
.ok { color: #15803d; } .fail { color: #b91c1c; font-weight: 600; }
svg { width: 100%; height: auto; display: block; }
svg .grid { stroke: #e5e7eb; } svg .grid.zero { stroke: #9ca3af; }
svg text { font-size: 11px; fill: #4b5563; } svg .no-data { font-size: 15px; fill: #6b7280; }
svg .pos { fill: #16a34a; } svg .neg { fill: #dc2626; }
svg .pnl { fill: #6b7280; } svg .breach { fill: #dc2626; stroke: #7f1d1d; }
ul.legend { list-style: none; padding: 0; margin: 0 0 4px; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
ul.legend span { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
table { border-collapse: collapse; margin-top: 8px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e5e7eb; text-align: right; }
th:first-child, td:first-child { text-align: left; }
#tooltip { position: absolute; white-space: pre; background: #111827; color: #f9fafb; font-size: 12px; padding: 4px 8px; border-radius: 4px; pointer-events: none; }
`;

// Plain browser JavaScript (this project's TypeScript has no DOM types). Text goes in with
// textContent only, so series names from the data cannot become markup here either.
const HOVER_SCRIPT = `(() => {
  const data = JSON.parse(document.getElementById(${JSON.stringify(REPORT_DATA_ELEMENT_ID)}).textContent);
  const tip = document.getElementById('tooltip');
  const day = (date) => Math.round(Date.parse(date + 'T00:00:00Z') / 86400000);
  const format = (value, unit) =>
    unit === 'ratio' ? (value * 100).toFixed(2) + ' %'
      : (value < 0 ? '-' : '') + (unit === 'usd' ? '$' : '')
        + Math.abs(value).toLocaleString('en-US', { maximumFractionDigits: 0 });
  for (const chart of data.charts) {
    const svg = document.querySelector('svg[data-x0][data-chart="' + CSS.escape(chart.id) + '"]');
    if (!svg) continue;
    const [x0, x1, left, right] = ['x0', 'x1', 'left', 'right'].map((k) => Number(svg.dataset[k]));
    const series = chart.series.map((s) => ({ name: s.name, points: s.points, days: s.points.map((p) => day(p[0])) }));
    svg.addEventListener('mousemove', (event) => {
      const box = svg.getBoundingClientRect();
      const viewX = ((event.clientX - box.left) / box.width) * svg.viewBox.baseVal.width;
      const target = x0 + ((viewX - left) / (right - left)) * (x1 - x0);
      const lines = [];
      for (const s of series) {
        let lo = 0;
        let hi = s.days.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (s.days[mid] < target) lo = mid + 1; else hi = mid;
        }
        if (lo > 0 && Math.abs(s.days[lo - 1] - target) < Math.abs(s.days[lo] - target)) lo -= 1;
        const point = s.points[lo];
        if (point) lines.push(point[0] + '  ' + s.name + ': ' + format(point[1], chart.unit));
      }
      tip.textContent = lines.join('\\n');
      tip.style.left = event.pageX + 14 + 'px';
      tip.style.top = event.pageY + 14 + 'px';
      tip.hidden = lines.length === 0;
    });
    svg.addEventListener('mouseleave', () => { tip.hidden = true; });
  }
})();`;

const scriptHash = (script: string) =>
  `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;

const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptHash(HOVER_SCRIPT)}; img-src data:`;

const money = (value: number | null) => (value === null ? 'n/a' : formatValue(value, 'usd'));

function legend(chart: ChartModel): string {
  if (chart.kind === 'bars' || chart.series.length === 0) return '';
  const items =
    chart.kind === 'var'
      ? [
          ['#6b7280', 'Daily P&L'],
          ['#d97706', '-VaR 95 % (historical, at the previous close)'],
          ['#dc2626', 'Breach: P&L below -VaR'],
        ]
      : chart.series.map((s, i) => [seriesColor(chart.kind, i), s.name]);
  return `<ul class="legend">${items
    .map(
      ([swatch, name]) =>
        `<li><span style="background:${swatch}"></span>${escapeHtml(name ?? '')}</li>`,
    )
    .join('')}</ul>`;
}

function chartSection(chart: ChartModel): string {
  return (
    `<section id="chart-${escapeHtml(chart.id)}"><h2>${escapeHtml(chart.title)}</h2>` +
    (chart.note ? `<p class="note">${escapeHtml(chart.note)}</p>` : '') +
    legend(chart) +
    renderChartSvg(chart) +
    '</section>'
  );
}

function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cell = (tag: string) => (value: string | number) =>
    `<${tag}>${escapeHtml(String(value))}</${tag}>`;
  return (
    `<table><thead><tr>${headers.map(cell('th')).join('')}</tr></thead><tbody>` +
    rows.map((row) => `<tr>${row.map(cell('td')).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function header(data: RunReportData): string {
  const dbtOk = data.dbt.exitCode === 0;
  const monthly = data.gold.latestMonthlyReturnPct;
  const fields: [string, string][] = [
    ['Correlation id', escapeHtml(data.correlationId)],
    ['As of', escapeHtml(data.asOf ?? 'n/a')],
    ['Market', data.market === 'fake' ? 'fake (built-in fake FMP market)' : 'fmp (FMP stable API)'],
    [
      'dbt',
      `<span class="${dbtOk ? 'ok' : 'fail'}">${dbtOk ? 'passed' : `failed (exit ${data.dbt.exitCode})`}</span>: ${escapeHtml(data.dbt.message)}`,
    ],
    [
      'Failed steps',
      data.failures.length === 0
        ? 'none'
        : data.failures
            .map((f) => `<span class="fail">${escapeHtml(f.step)}</span>: ${escapeHtml(f.error)}`)
            .join('<br>'),
    ],
    ['Portfolio value', escapeHtml(describeTotalValue(data.gold, money))],
    [
      'Latest monthly return',
      monthly === null ? 'n/a' : escapeHtml(`${monthly.toFixed(2)} % (average TWR)`),
    ],
    ['1-day VaR 95 %', escapeHtml(`${money(data.gold.latestVar95Amount)} (historical, summed)`)],
  ];
  return `<dl class="header">${fields.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

/** The whole page for `data`; the same input always gives the same bytes. */
export function renderRunReportHtml(data: RunReportData): string {
  const charts = buildCharts(data);
  const title = `Finks run report ${data.asOf ?? ''}`.trim();
  const breachRows = data.varBacktests.map((b) => {
    const breaches = b.days.filter((d) => d.breach).length;
    return [
      b.portfolioId,
      b.days.length,
      breaches,
      `${((breaches / b.days.length) * 100).toFixed(1)} %`,
    ];
  });
  const embedded = {
    correlationId: data.correlationId,
    market: data.market,
    asOf: data.asOf,
    dbt: data.dbt,
    charts,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${header(data)}
${charts.map(chartSection).join('\n')}
<h2>VaR backtest per portfolio</h2>
${breachRows.length > 0 ? table(['Portfolio', 'Days tested', 'Breaches', 'Breach rate'], breachRows) : '<p class="note">no data</p>'}
<h2>Data quality counts</h2>
${
  data.dataQuality.length > 0
    ? table(
        ['Dataset', 'Bronze rows', 'Silver valid', 'Quarantined'],
        data.dataQuality.map((q) => [q.dataset, q.bronzeRows, q.silverValid, q.quarantined]),
      )
    : '<p class="note">no data</p>'
}
<h2>Gold marts</h2>
${table(['Mart', 'Rows'], Object.entries(data.gold.rows))}
<div id="tooltip" hidden></div>
<script type="application/json" id="${REPORT_DATA_ELEMENT_ID}">${jsonForScript(embedded)}</script>
<script>${HOVER_SCRIPT}</script>
</body>
</html>
`;
}
