// The charts of the run report as plain data: drawn as SVG (svg-charts.ts) and embedded as JSON
// in the page, so the browser check can compare what is drawn with what should be.
import type { RunReportData } from './report-data';

export type ChartKind = 'line' | 'bars' | 'var' | 'categories';
export type ChartUnit = 'usd' | 'ratio' | 'count';

export interface ChartSeries {
  readonly name: string;
  /** [x, y]: x is a trade date (YYYY-MM-DD), or a category for `categories` charts. */
  readonly points: readonly (readonly [string, number])[];
}

export interface ChartModel {
  readonly id: string;
  readonly title: string;
  readonly kind: ChartKind;
  readonly unit: ChartUnit;
  readonly series: readonly ChartSeries[];
  /** `var` charts: the dates whose P&L fell below -VaR. */
  readonly breaches?: readonly string[];
  /** A sentence under the title (what is shown, what is left out). */
  readonly note?: string;
}

/** Small multiples beyond this many portfolios would bury the page; the table lists them all. */
export const MAX_VAR_CHARTS = 6;

function portfolioValueChart(data: RunReportData): ChartModel {
  const shown = data.portfolioValues.length;
  return {
    id: 'portfolio-value',
    title: 'Portfolio value over time',
    kind: 'line',
    unit: 'usd',
    series: [
      ...(data.totalValue.length > 0 ? [{ name: 'All portfolios', points: data.totalValue }] : []),
      ...data.portfolioValues.map((p) => ({ name: p.portfolioId, points: p.values })),
    ],
    note:
      shown < data.portfolioCount
        ? `Total and the ${shown} largest of ${data.portfolioCount} portfolios (by latest value).`
        : 'Total and each portfolio: cash plus holdings at the close (daily_portfolio_summary).',
  };
}

function dailyReturnsChart(data: RunReportData): ChartModel {
  return {
    id: 'daily-returns',
    title: 'Daily returns (all portfolios)',
    kind: 'bars',
    unit: 'ratio',
    series:
      data.dailyReturns.length > 0 ? [{ name: 'Daily return', points: data.dailyReturns }] : [],
    note: 'Sum of daily P&L (net of deposits and withdrawals) over the sum of previous values.',
  };
}

function varCharts(data: RunReportData): ChartModel[] {
  if (data.varBacktests.length === 0) {
    return [
      {
        id: 'var-vs-pnl',
        title: 'VaR 95 % against realised P&L',
        kind: 'var',
        unit: 'usd',
        series: [],
        breaches: [],
        note: 'Needs a full VaR window (var_window_days defined returns) before the first day.',
      },
    ];
  }
  return data.varBacktests.slice(0, MAX_VAR_CHARTS).map((backtest, index) => {
    const breaches = backtest.days.filter((day) => day.breach).map((day) => day.date);
    return {
      id: `var-vs-pnl-${index + 1}`,
      title: `VaR 95 % against realised P&L: ${backtest.portfolioId}`,
      kind: 'var' as const,
      unit: 'usd' as const,
      series: [
        { name: 'Daily P&L', points: backtest.days.map((day) => [day.date, day.pnl] as const) },
        {
          name: '-VaR 95 % (previous close)',
          points: backtest.days.map((day) => [day.date, -day.var95] as const),
        },
      ],
      breaches,
      note: `${breaches.length} breach${breaches.length === 1 ? '' : 'es'} in ${backtest.days.length} days (expected about 5 %).`,
    };
  });
}

function dataQualityChart(data: RunReportData): ChartModel {
  const measure = (name: string, pick: (q: RunReportData['dataQuality'][number]) => number) => ({
    name,
    points: data.dataQuality.map((q) => [q.dataset, pick(q)] as const),
  });
  return {
    id: 'data-quality',
    title: 'Data quality per dataset',
    kind: 'categories',
    unit: 'count',
    series:
      data.dataQuality.length > 0
        ? [
            measure('Bronze rows', (q) => q.bronzeRows),
            measure('Silver valid', (q) => q.silverValid),
            measure('Quarantined', (q) => q.quarantined),
          ]
        : [],
    note: 'Rows this run wrote to bronze, records cleansed into silver, records quarantined (ingestion and cleansing).',
  };
}

export function buildCharts(data: RunReportData): ChartModel[] {
  return [
    portfolioValueChart(data),
    dailyReturnsChart(data),
    ...varCharts(data),
    dataQualityChart(data),
  ];
}
