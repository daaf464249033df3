// A small gold zone for the run report tests: the three marts with the dbt models' real columns,
// written as Parquet by DuckDB where martFolder puts them, and a MasterFlowResult to go with it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { martFolder } from '../../src/master-flow/gold-summary';
import type { LocalLakeTarget } from '../../src/master-flow/local-lake-target';
import type { MasterFlowResult } from '../../src/master-flow/master-flow';

/** 30 weekdays from 2026-09-01. */
export const TRADING_DAYS: readonly string[] = (() => {
  const days: string[] = [];
  for (
    let d = new Date('2026-09-01T00:00:00Z');
    days.length < 30;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
  }
  return days;
})();

interface PortfolioPlan {
  readonly id: string;
  readonly startValue: number;
  /** P&L of day i (day 0 has none). */
  readonly pnl: (i: number) => number;
  /** Historical VaR 95 % amount at day i's close, null until the window is full. */
  readonly var95: (i: number) => number | null;
}

/**
 * p-alpha breaches on day 20 (P&L -6000 against a VaR of 2500) and on day 26, where the VaR at
 * the previous close (1000) is what the P&L of -1500 is measured against, not day 26's own VaR
 * (2500). On day 25 the P&L of -2000 is below day 25's own VaR (1000) but not the previous
 * close's (2500): no breach. p-beta never breaches.
 */
export const PORTFOLIOS: readonly PortfolioPlan[] = [
  {
    id: 'p-alpha',
    startValue: 100_000,
    pnl: (i) => ({ 20: -6000, 25: -2000, 26: -1500 })[i] ?? 200,
    var95: (i) => (i < 9 ? null : i === 25 ? 1000 : 2500),
  },
  {
    id: 'p-beta',
    startValue: 50_000,
    pnl: (i) => (i % 2 === 0 ? 100 : -100),
    var95: (i) => (i < 9 ? null : 1000),
  },
];

export const EXPECTED_BREACHES: Readonly<Record<string, readonly string[]>> = {
  'p-alpha': [TRADING_DAYS[20] ?? '', TRADING_DAYS[26] ?? ''],
  'p-beta': [],
};

const CORRELATION_ID = 'fixture-run-7';
const sql = (value: string | number | null) =>
  value === null
    ? 'null'
    : typeof value === 'number'
      ? String(value)
      : `'${value.replaceAll("'", "''")}'`;
const tuple = (values: readonly (string | number | null)[]) => `(${values.map(sql).join(', ')})`;

const DAILY_COLUMNS = `portfolio_id varchar, trade_date date, market_value double, cash double,
  external_flow double, previous_market_value double, daily_pnl double, daily_return double,
  number_of_holdings bigint, largest_weight double, correlation_id varchar, dbt_invocation_id varchar`;
const MONTHLY_COLUMNS = `portfolio_id varchar, month_start date, return_days bigint,
  time_weighted_return double, cumulative_return double, volatility double, max_drawdown double,
  benchmark_time_weighted_return double, benchmark_cumulative_return double,
  benchmark_volatility double, benchmark_max_drawdown double, excess_return double,
  correlation_id varchar, dbt_invocation_id varchar`;
const VAR_MEASURES = [
  'historical_var_95',
  'historical_var_99',
  'expected_shortfall_95',
  'expected_shortfall_99',
  'parametric_var_95',
  'parametric_var_99',
];
const VAR_COLUMNS = `portfolio_id varchar, trade_date date, market_value double, observations bigint,
  ${VAR_MEASURES.map((m) => `${m}_pct double, ${m}_amount double`).join(', ')},
  correlation_id varchar, dbt_invocation_id varchar`;

function martRows() {
  const daily: string[] = [];
  const risk: string[] = [];
  for (const plan of PORTFOLIOS) {
    let value = plan.startValue;
    TRADING_DAYS.forEach((day, i) => {
      const previous = i === 0 ? null : value;
      const pnl = i === 0 ? null : plan.pnl(i);
      value += pnl ?? 0;
      daily.push(
        tuple([
          plan.id,
          day,
          value,
          value * 0.1,
          i === 0 ? plan.startValue : 0,
          previous,
          pnl,
          previous === null || pnl === null ? null : pnl / previous,
          3,
          0.4,
          CORRELATION_ID,
          'dbt-fixture',
        ]),
      );
      if (i === 0) return;
      const var95 = plan.var95(i);
      // The other measures only need to be plausible: 99 % above 95 %, ES above VaR.
      const measures = VAR_MEASURES.flatMap((measure, k) => {
        const amount = var95 === null ? null : var95 * (1 + k * 0.1);
        return [amount === null ? null : amount / value, amount];
      });
      risk.push(tuple([plan.id, day, value, i, ...measures, CORRELATION_ID, 'dbt-fixture']));
    });
  }
  const monthly = PORTFOLIOS.flatMap((plan) =>
    ['2026-09-01', '2026-10-01'].map((month) =>
      tuple([
        plan.id,
        month,
        20,
        0.01,
        0.02,
        0.1,
        0.03,
        0.005,
        0.01,
        0.12,
        0.04,
        0.005,
        CORRELATION_ID,
        'dbt-fixture',
      ]),
    ),
  );
  return { daily, risk, monthly };
}

export interface GoldFixtureOptions {
  /** Write var_calculations with no rows (the mart exists, the VaR window never filled). */
  readonly emptyVar?: boolean;
  /** Leave monthly_performance out (no folder at all). */
  readonly withoutMonthly?: boolean;
}

export async function writeGoldFixture(lake: LocalLakeTarget, options: GoldFixtureOptions = {}) {
  const { daily, risk, monthly } = martRows();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const write = async (mart: string, columns: string, rows: readonly string[]) => {
      const folder = martFolder(lake, mart);
      await mkdir(folder, { recursive: true });
      await connection.run(`create table ${mart} (${columns})`);
      if (rows.length > 0) await connection.run(`insert into ${mart} values ${rows.join(',\n')}`);
      // The dbt-runner's export: one <mart>.parquet in the mart's folder.
      await connection.run(
        `copy ${mart} to ${sql(join(folder, `${mart}.parquet`))} (format parquet)`,
      );
    };
    await write('daily_portfolio_summary', DAILY_COLUMNS, daily);
    await write('var_calculations', VAR_COLUMNS, options.emptyVar ? [] : risk);
    if (!options.withoutMonthly) await write('monthly_performance', MONTHLY_COLUMNS, monthly);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Dataset names a hostile or broken source could produce: they must show as text. */
export const HOSTILE_DATASET = '<script>console.error("injected script ran")</script>';
export const HOSTILE_SILVER_DATASET = `fmp.<img src=x onerror="console.error('injected img ran')">`;

export function masterFlowResultFixture(): MasterFlowResult {
  const manifest = (source: string, dataset: string, rowCount: number, quarantined: number) => ({
    source,
    dataset,
    dt: '2026-10-12',
    rowCount,
    quarantined,
    createdAt: '2026-10-12T22:00:00.000Z',
  });
  const silver = (dataset: string, valid: number, quarantined: number) => ({
    dataset,
    runId: '20261012T220000Z-fixtur',
    dates: ['2026-10-12'],
    bronzeBatches: 1,
    batchesAlreadyCleansed: 0,
    bronzeParts: 1,
    recordsRead: valid + quarantined,
    valid,
    quarantined,
    quarantineReasons: quarantined > 0 ? { invalid_value: quarantined } : {},
    silverPartitions: ['2026-10-12'],
    silverRowsInPartitions: valid,
    seconds: { check: 0.2, quarantine: 0.01, silver: 0.1 },
  });
  return {
    correlationId: 'fixture-run-7 "quoted" & <tagged>',
    market: 'fake',
    bronze: [
      manifest('fmp', 'eod_prices', 90, 2),
      manifest('mongodb', 'transactions', 40, 0),
      manifest('fmp', HOSTILE_DATASET, 5, 1),
    ],
    silver: [
      silver('fmp.eod_prices', 87, 1),
      silver('mongodb.transactions', 40, 0),
      silver(HOSTILE_SILVER_DATASET, 3, 2),
    ],
    dbt: { exitCode: 0, message: 'dbt build: 42 passed & 0 failed <ok>', summary: null },
    failures: [{ step: 'ingest-mongodb', error: 'connect ECONNREFUSED <127.0.0.1:27017>' }],
    gold: {
      rows: { daily_portfolio_summary: 60, monthly_performance: 4, var_calculations: 58 },
      latestDate: TRADING_DAYS.at(-1) ?? null,
      totalMarketValue: 150_000,
      unvaluedPortfolios: 0,
      latestMonthlyReturnPct: 1,
      latestVar95Amount: 3500,
    },
  };
}
