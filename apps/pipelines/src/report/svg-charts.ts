// Draws a ChartModel as inline SVG. Every data point is a countable element: a vertex of a
// `polyline[data-series]` or an element with `data-value` (bars, P&L dots), which is what the
// browser check counts. Breached days are P&L dots with class `breach`.
import { dateOfDay, dayNumber, formatValue, linearScale, niceTicks } from './chart-scale';
import type { ChartModel } from './chart-model';
import { escapeHtml } from './html-escape';

const SERIES_COLORS = [
  '#1f2937',
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#9333ea',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#dc2626',
  '#4b5563',
] as const;
// Data-quality bars: bronze rows, silver valid, quarantined (red: the one to look at).
const CATEGORY_COLORS = ['#2563eb', '#16a34a', '#dc2626'] as const;

/** The colour of series `index` in a chart of `kind`. */
export const seriesColor = (kind: ChartModel['kind'], index: number): string =>
  (kind === 'categories'
    ? CATEGORY_COLORS[index % CATEGORY_COLORS.length]
    : SERIES_COLORS[index % SERIES_COLORS.length]) ?? '#000';

const WIDTH = 900;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 20, bottom: 30, left: 76 } as const;

const fixed = (n: number) => String(Math.round(n * 10) / 10);

// Math.min(...list) overflows the call stack on the long series of a big run.
const extent = (list: readonly number[]): [number, number] =>
  list.reduce<[number, number]>(
    ([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)],
    [Infinity, -Infinity],
  );

function svgRoot(chart: ChartModel, height: number, attributes: string, body: string): string {
  return (
    `<svg data-chart="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.title)}" ` +
    `viewBox="0 0 ${WIDTH} ${height}"${attributes}>${body}</svg>`
  );
}

function noData(chart: ChartModel): string {
  return svgRoot(
    chart,
    120,
    ' data-empty="true"',
    `<text class="no-data" x="${WIDTH / 2}" y="64" text-anchor="middle">no data</text>`,
  );
}

function yAxis(ticks: readonly number[], y: (v: number) => number, chart: ChartModel): string {
  return ticks
    .map(
      (tick) =>
        `<line class="grid${tick === 0 ? ' zero' : ''}" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}"/>` +
        `<text class="tick" x="${MARGIN.left - 6}" y="${fixed(y(tick) + 4)}" text-anchor="end">${escapeHtml(formatValue(tick, chart.unit))}</text>`,
    )
    .join('');
}

function dateAxis(first: number, last: number, x: (v: number) => number): string {
  const count = Math.min(6, last - first + 1);
  const days = [
    ...new Set(
      Array.from({ length: count }, (_, i) =>
        Math.round(first + (count === 1 ? 0 : (i * (last - first)) / (count - 1))),
      ),
    ),
  ];
  // The end labels are anchored inwards so they are not clipped at the chart's edges.
  const anchor = (i: number) =>
    days.length > 1 && i === 0 ? 'start' : i === days.length - 1 && i > 0 ? 'end' : 'middle';
  return days
    .map(
      (day, i) =>
        `<text class="tick" x="${fixed(x(day))}" y="${HEIGHT - 10}" text-anchor="${anchor(i)}">${dateOfDay(day)}</text>`,
    )
    .join('');
}

/** Line, bar and VaR charts: x is the trade date. */
function datedChart(chart: ChartModel): string {
  const all = chart.series.flatMap((s) => s.points);
  const days = all.map(([date]) => dayNumber(date));
  const values = all.map(([, value]) => value);
  const [first, last] = extent(days);
  const [low, high] = extent(values);
  const ticks = niceTicks(Math.min(0, low), Math.max(0, high));
  const [bottom, top] = [ticks[0] ?? 0, ticks.at(-1) ?? 1];
  // Bars need half a bar of room at each end.
  const pad = chart.kind === 'bars' ? 0.5 : 0;
  const x = linearScale(first - pad, last + pad, MARGIN.left, WIDTH - MARGIN.right);
  const y = linearScale(bottom, top, HEIGHT - MARGIN.bottom, MARGIN.top);
  const breaches = new Set(chart.breaches ?? []);

  const marks = chart.series.map((series, index) => {
    const points = series.points.map(
      ([date, value]) => [x(dayNumber(date)), y(value), value, date] as const,
    );
    const title = escapeHtml(series.name);
    if (chart.kind === 'bars') {
      const barWidth = Math.max(
        0.5,
        (WIDTH - MARGIN.left - MARGIN.right) / (last - first + 1) - 0.5,
      );
      return points
        .map(
          ([px, py, value]) =>
            `<rect data-value="${value}" class="${value < 0 ? 'neg' : 'pos'}" x="${fixed(px - barWidth / 2)}" y="${fixed(Math.min(py, y(0)))}" width="${fixed(barWidth)}" height="${fixed(Math.abs(y(0) - py))}"/>`,
        )
        .join('');
    }
    if (chart.kind === 'var' && index === 0) {
      return points
        .map(
          ([px, py, value, date]) =>
            `<circle data-value="${value}" class="${breaches.has(date) ? 'breach' : 'pnl'}" cx="${fixed(px)}" cy="${fixed(py)}" r="${breaches.has(date) ? 4 : 1.8}"><title>${escapeHtml(date)}: ${escapeHtml(formatValue(value, chart.unit))}${breaches.has(date) ? ' (breach)' : ''}</title></circle>`,
        )
        .join('');
    }
    const stroke = chart.kind === 'var' ? '#d97706' : seriesColor(chart.kind, index);
    if (points.length === 1) {
      const [[px, py, value] = [0, 0, 0]] = points;
      return `<circle data-value="${value}" cx="${fixed(px)}" cy="${fixed(py)}" r="3" fill="${stroke}"><title>${title}</title></circle>`;
    }
    return `<polyline data-series="${index}" fill="none" stroke="${stroke}" stroke-width="${index === 0 && chart.kind === 'line' ? 2 : 1.2}" points="${points.map(([px, py]) => `${fixed(px)},${fixed(py)}`).join(' ')}"><title>${title}</title></polyline>`;
  });

  return svgRoot(
    chart,
    HEIGHT,
    ` data-x0="${x.domain[0]}" data-x1="${x.domain[1]}" data-left="${MARGIN.left}" data-right="${WIDTH - MARGIN.right}"`,
    yAxis(ticks, y, chart) + dateAxis(first, last, x) + marks.join(''),
  );
}

/** Horizontal grouped bars, one group per category (dataset), one bar per series. */
function categoriesChart(chart: ChartModel): string {
  const categories = [...new Set(chart.series.flatMap((s) => s.points.map(([name]) => name)))];
  const barHeight = 7;
  const groupHeight = chart.series.length * barHeight + 8;
  const left = 190;
  const height = MARGIN.top + categories.length * groupHeight + MARGIN.bottom;
  const max = Math.max(
    1,
    extent(chart.series.flatMap((s) => s.points.map(([, value]) => value)))[1],
  );
  const ticks = niceTicks(0, max);
  const x = linearScale(0, ticks.at(-1) ?? max, left, WIDTH - MARGIN.right - 50);
  const grid = ticks
    .map(
      (tick) =>
        `<line class="grid" x1="${fixed(x(tick))}" x2="${fixed(x(tick))}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}"/>` +
        `<text class="tick" x="${fixed(x(tick))}" y="${height - 10}" text-anchor="middle">${escapeHtml(formatValue(tick, chart.unit))}</text>`,
    )
    .join('');
  const groups = categories.map((category, row) => {
    const top = MARGIN.top + row * groupHeight;
    const label = category.length > 28 ? `${category.slice(0, 27)}…` : category;
    const bars = chart.series.map((series, index) => {
      const value = series.points.find(([name]) => name === category)?.[1] ?? 0;
      const by = top + 4 + index * barHeight;
      return (
        `<rect data-value="${value}" x="${left}" y="${by}" width="${fixed(x(value) - left)}" height="${barHeight - 1}" fill="${seriesColor('categories', index)}"><title>${escapeHtml(`${category}: ${series.name} ${value}`)}</title></rect>` +
        `<text class="value" x="${fixed(x(value) + 4)}" y="${by + barHeight - 1}">${value}</text>`
      );
    });
    return (
      `<text class="category" x="${left - 8}" y="${top + groupHeight / 2 + 3}" text-anchor="end">${escapeHtml(label)}<title>${escapeHtml(category)}</title></text>` +
      bars.join('')
    );
  });
  return svgRoot(chart, height, '', grid + groups.join(''));
}

export function renderChartSvg(chart: ChartModel): string {
  if (chart.series.every((s) => s.points.length === 0)) return noData(chart);
  return chart.kind === 'categories' ? categoriesChart(chart) : datedChart(chart);
}
