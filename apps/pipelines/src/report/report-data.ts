// What the run report shows, read from the gold marts (DuckDB over their Parquet) and from the
// master flow's result (bronze manifests, silver summaries, dbt result).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { martFolder } from '../master-flow/gold-summary';
import type { LocalLakeTarget } from '../master-flow/local-lake-target';
import type { MasterFlowResult } from '../master-flow/master-flow';
import { RunReportError } from './run-report-error';
import { queryRows } from '../duckdb/query-rows';

/** [trade date YYYY-MM-DD, value]. */
export type DatedValue = readonly [string, number];

export interface PortfolioSeries {
  readonly portfolioId: string;
  readonly values: readonly DatedValue[];
}

/** One portfolio's VaR backtest: each day's P&L against the VaR of the close before. */
export interface VarBacktest {
  readonly portfolioId: string;
  readonly days: readonly {
    readonly date: string;
    readonly pnl: number;
    /** Historical 1-day VaR 95 % amount at the previous close (positive: a loss limit). */
    readonly var95: number;
    readonly breach: boolean;
  }[];
}

export interface DatasetQuality {
  /** `source.dataset`, as the contracts name it. */
  readonly dataset: string;
  readonly bronzeRows: number;
  readonly silverValid: number;
  /** Rejected at ingestion (bronze quarantine) plus rejected by the silver cleansing. */
  readonly quarantined: number;
}

export interface RunReportData {
  readonly correlationId: string;
  readonly market: MasterFlowResult['market'];
  readonly asOf: string | null;
  readonly dbt: { readonly exitCode: number; readonly message: string };
  readonly gold: MasterFlowResult['gold'];
  /** Steps that failed while the rest of the run moved on. */
  readonly failures: MasterFlowResult['failures'];
  /** Sum over every portfolio per trading day. */
  readonly totalValue: readonly DatedValue[];
  /** The largest portfolios by latest value (at most `maxPortfolioSeries`). */
  readonly portfolioValues: readonly PortfolioSeries[];
  readonly portfolioCount: number;
  /** All portfolios as one: sum of P&L over the sum of previous values, per trading day. */
  readonly dailyReturns: readonly DatedValue[];
  /** Every portfolio with at least one backtested day, largest first. */
  readonly varBacktests: readonly VarBacktest[];
  readonly dataQuality: readonly DatasetQuality[];
}

export interface ReadReportDataOptions {
  readonly lake: LocalLakeTarget;
  readonly result: MasterFlowResult;
  readonly asOf?: string;
  /** Portfolio lines drawn besides the total; more would make the chart unreadable. */
  readonly maxPortfolioSeries?: number;
}

// The columns each chart reads; a mart without them was built by another model version.
const MART_COLUMNS = {
  daily_portfolio_summary: [
    'portfolio_id',
    'trade_date',
    'market_value',
    'previous_market_value',
    'daily_pnl',
  ],
  var_calculations: ['portfolio_id', 'trade_date', 'historical_var_95_amount'],
} as const;
type ReportMart = keyof typeof MART_COLUMNS;

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function parquetFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.parquet'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A `read_parquet(...)` expression over the mart's files, or null when it has none. */
async function martSource(
  connection: DuckDBConnection,
  lake: LocalLakeTarget,
  mart: ReportMart,
): Promise<string | null> {
  const folder = martFolder(lake, mart);
  const files = await parquetFiles(folder);
  if (files.length === 0) return null;
  const source = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true, hive_partitioning = false)`;
  let columns: Set<string>;
  try {
    columns = new Set(
      (await queryRows(connection, `describe select * from ${source}`)).map((row) =>
        String(row['column_name']),
      ),
    );
  } catch (cause) {
    throw new RunReportError(
      'mart_unreadable',
      `gold mart ${mart} in ${folder} is not readable Parquet: rebuild gold with the dbt-runner ('build')`,
      { cause },
    );
  }
  const missing = MART_COLUMNS[mart].filter((column) => !columns.has(column));
  if (missing.length > 0) {
    throw new RunReportError(
      'mart_unreadable',
      `gold mart ${mart} in ${folder} lacks column(s) ${missing.join(', ')}: it was built by another version of the dbt models; rebuild gold with the dbt-runner ('build')`,
    );
  }
  return source;
}

const finite = (value: unknown): number | null => {
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
};

function groupByPortfolio<T>(
  list: readonly Record<string, unknown>[],
  toItem: (row: Record<string, unknown>) => T | null,
) {
  const groups = new Map<string, T[]>();
  for (const row of list) {
    const item = toItem(row);
    if (item === null) continue;
    const id = String(row['portfolio_id']);
    const group = groups.get(id) ?? [];
    group.push(item);
    groups.set(id, group);
  }
  return groups;
}

function dataQuality(result: MasterFlowResult): DatasetQuality[] {
  const byDataset = new Map<
    string,
    { bronzeRows: number; silverValid: number; quarantined: number }
  >();
  const entry = (dataset: string) => {
    const found = byDataset.get(dataset) ?? { bronzeRows: 0, silverValid: 0, quarantined: 0 };
    byDataset.set(dataset, found);
    return found;
  };
  for (const manifest of result.bronze) {
    const counts = entry(`${manifest.source}.${manifest.dataset}`);
    counts.bronzeRows += manifest.rowCount;
    counts.quarantined += manifest.quarantined;
  }
  for (const summary of result.silver) {
    const counts = entry(summary.dataset);
    counts.silverValid += summary.valid;
    counts.quarantined += summary.quarantined;
  }
  return [...byDataset.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dataset, counts]) => ({ dataset, ...counts }));
}

export async function readReportData(options: ReadReportDataOptions): Promise<RunReportData> {
  const { lake, result } = options;
  const maxSeries = options.maxPortfolioSeries ?? 8;
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const daily = await martSource(connection, lake, 'daily_portfolio_summary');
    const risk = await martSource(connection, lake, 'var_calculations');

    // Largest first by the portfolio's last value, so the chart keeps the ones that matter.
    const ranking = daily
      ? await queryRows(
          connection,
          `select portfolio_id from ${daily} where market_value is not null
           group by portfolio_id order by arg_max(market_value, trade_date) desc, portfolio_id`,
        )
      : [];
    const ranked = ranking.map((row) => String(row['portfolio_id']));
    const shown = new Set(ranked.slice(0, maxSeries));

    const valueRows = daily
      ? await queryRows(
          connection,
          `select portfolio_id, cast(trade_date as varchar) as d, market_value as v from ${daily}
           where market_value is not null order by portfolio_id, trade_date`,
        )
      : [];
    const values = groupByPortfolio(valueRows, (row): DatedValue | null => {
      const value = finite(row['v']);
      return shown.has(String(row['portfolio_id'])) && value !== null
        ? [String(row['d']), value]
        : null;
    });

    const totals = daily
      ? await queryRows(
          connection,
          // A day's total only when every portfolio has a value that day: one left unvalued (a
          // holding with no close) would make the sum a drop that never happened.
          `select cast(trade_date as varchar) as d,
             case when count(market_value) = count(*) then sum(market_value) end as v,
             sum(daily_pnl) filter (where daily_pnl is not null and previous_market_value > 0) as pnl,
             sum(previous_market_value) filter (where daily_pnl is not null and previous_market_value > 0) as prev
           from ${daily} group by trade_date order by trade_date`,
        )
      : [];
    const totalValue: DatedValue[] = [];
    const dailyReturns: DatedValue[] = [];
    for (const row of totals) {
      const value = finite(row['v']);
      if (value !== null) totalValue.push([String(row['d']), value]);
      const pnl = finite(row['pnl']);
      const prev = finite(row['prev']);
      if (pnl !== null && prev !== null && prev > 0)
        dailyReturns.push([String(row['d']), pnl / prev]);
    }

    // Backtesting compares a day's P&L with the VaR known at the close before it (the forecast
    // for that day), not with the VaR whose window already contains that day's return.
    const backtestRows =
      daily && risk
        ? await queryRows(
            connection,
            `with daily as (
               select portfolio_id, trade_date, daily_pnl from ${daily}
             ),
             risk as (
               select portfolio_id, trade_date, historical_var_95_amount as var95 from ${risk}
             ),
             joined as (
               select daily.portfolio_id, daily.trade_date, daily.daily_pnl,
                 lag(risk.var95) over (partition by daily.portfolio_id order by daily.trade_date) as var95
               from daily left join risk
                 on daily.portfolio_id = risk.portfolio_id and daily.trade_date = risk.trade_date
             )
             select portfolio_id, cast(trade_date as varchar) as d, daily_pnl as pnl, var95
             from joined where daily_pnl is not null and var95 is not null
             order by portfolio_id, trade_date`,
          )
        : [];
    const backtests = groupByPortfolio(backtestRows, (row) => {
      const pnl = finite(row['pnl']);
      const var95 = finite(row['var95']);
      return pnl === null || var95 === null
        ? null
        : { date: String(row['d']), pnl, var95, breach: pnl < -var95 };
    });

    return {
      correlationId: result.correlationId,
      market: result.market,
      asOf: options.asOf ?? result.gold.latestDate ?? totalValue.at(-1)?.[0] ?? null,
      dbt: { exitCode: result.dbt.exitCode, message: result.dbt.message },
      gold: result.gold,
      failures: result.failures,
      totalValue,
      portfolioValues: ranked
        .filter((id) => shown.has(id))
        .map((portfolioId) => ({ portfolioId, values: values.get(portfolioId) ?? [] })),
      portfolioCount: ranked.length,
      dailyReturns,
      // Backtested days have a P&L, hence a market value: every such portfolio is ranked.
      varBacktests: ranked
        .filter((id) => backtests.has(id))
        .map((portfolioId) => ({ portfolioId, days: backtests.get(portfolioId) ?? [] })),
      dataQuality: dataQuality(result),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
