// The top lines of the gold marts for the run summary, read with DuckDB from the local lake.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { bucketName, goldMartPrefix, lakeLocation, toLocalPath } from '@finks/lake-paths';
import type { LocalLakeTarget } from './local-lake-target';

export const GOLD_MARTS = [
  'daily_portfolio_summary',
  'monthly_performance',
  'var_calculations',
] as const;

export interface GoldSummary {
  readonly rows: Readonly<Record<string, number>>;
  readonly latestDate: string | null;
  /**
   * All portfolios' value on the latest day; null when one of them is unvalued that day (it holds
   * a security with no close: daily_portfolio_summary leaves its value null), as a sum without
   * it would understate the total.
   */
  readonly totalMarketValue: number | null;
  /** Portfolios without a value on the latest day (see totalMarketValue). */
  readonly unvaluedPortfolios: number;
  readonly latestMonthlyReturnPct: number | null;
  readonly latestVar95Amount: number | null;
}

/** The summary's portfolio-value line: the total, or why there is none. */
export function describeTotalValue(
  gold: Pick<GoldSummary, 'totalMarketValue' | 'unvaluedPortfolios'>,
  format: (value: number | null) => string,
): string {
  if (gold.unvaluedPortfolios > 0) {
    return (
      `unknown: ${gold.unvaluedPortfolios} portfolio(s) hold a security with no close on the ` +
      'latest day (dbt warns no_unpriced_holdings)'
    );
  }
  return `${format(gold.totalMarketValue)} (all portfolios)`;
}

export function martFolder(lake: LocalLakeTarget, mart: string): string {
  const bucket = bucketName({ env: lake.env, zone: 'gold', accountId: lake.accountId });
  return toLocalPath(lakeLocation(bucket, goldMartPrefix({ mart })), lake.root);
}

const sqlPath = (path: string) => `'${path.replaceAll("'", "''")}'`;

export async function readGoldSummary(lake: LocalLakeTarget): Promise<GoldSummary> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const one = async (sql: string): Promise<Record<string, unknown> | undefined> =>
    (await connection.runAndReadAll(sql)).getRowObjectsJS()[0] as
      Record<string, unknown> | undefined;
  try {
    const rows: Record<string, number> = {};
    const source: Record<string, string> = {};
    for (const mart of GOLD_MARTS) {
      const folder = martFolder(lake, mart);
      if (!existsSync(folder)) {
        rows[mart] = 0;
        continue;
      }
      source[mart] = `read_parquet(${sqlPath(join(folder, '**', '*.parquet'))})`;
      rows[mart] = Number((await one(`select count(*) as n from ${source[mart]}`))?.['n'] ?? 0);
    }
    const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    const daily = source['daily_portfolio_summary'];
    const latest = daily
      ? await one(
          `with latest as (select * from ${daily} where trade_date = (select max(trade_date) from ${daily}))
           select cast(max(trade_date) as varchar) as d, sum(market_value) as v,
             count(*) filter (where market_value is null) as unvalued from latest`,
        )
      : undefined;
    const monthly = source['monthly_performance'];
    const month = monthly
      ? await one(
          `select avg(time_weighted_return) * 100 as r from ${monthly} where month_start = (select max(month_start) from ${monthly})`,
        )
      : undefined;
    const risk = source['var_calculations'];
    const varRow = risk
      ? await one(
          `select sum(historical_var_95_amount) as v from ${risk} where trade_date = (select max(trade_date) from ${risk})`,
        )
      : undefined;
    return {
      rows,
      latestDate: (latest?.['d'] as string | null | undefined) ?? null,
      totalMarketValue: Number(latest?.['unvalued'] ?? 0) > 0 ? null : num(latest?.['v']),
      unvaluedPortfolios: Number(latest?.['unvalued'] ?? 0),
      latestMonthlyReturnPct: num(month?.['r']),
      latestVar95Amount: num(varRow?.['v']),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
