// Gold mart fixtures as Parquet, written by DuckDB into a temporary folder, and a QueryRunner
// that runs the API's bound queries on them: the same SQL the Lambda sends to Athena.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { BoundQuery } from '../api/lambda/portfolio-queries';
import type { QueryRunner, Row } from '../api/lambda/query-runner';

export const GOLD_DATABASE = 'finks_test_gold';
export const PORTFOLIO_A = '64b7f0c2a1b2c3d4e5f60718';
export const PORTFOLIO_B = '64b7f0c2a1b2c3d4e5f60719';
/** A portfolio whose value turns negative (r < -1), then is wiped out (r = -1). */
export const PORTFOLIO_C = '64b7f0c2a1b2c3d4e5f6071a';
/** A portfolio holding a security without a close on 2025-03-05 and 03-06 (unvalued days). */
export const PORTFOLIO_D = '64b7f0c2a1b2c3d4e5f6071b';

const RUN = `'corr-test', 'dbt-invocation-test'`;

// daily_portfolio_summary: portfolio_id, trade_date, market_value, cash, external_flow,
// previous_market_value, daily_pnl, daily_return, number_of_holdings, unpriced_holdings,
// largest_weight, correlation_id, dbt_invocation_id. A's first day is its 1000 deposit (no
// return); 100 more is deposited on 2025-03-06 (P&L 0 that day). D buys a second security for 50
// on 2025-03-05 that has no close until 2025-03-07: the mart leaves V, P&L and r NULL on 03-05
// and 03-06, and r NULL on 03-07 too (V(d_prev) unknown). Valued, D would read 1000, 1100, 1150,
// 1150, 1210, 1331: skipping the unknown returns compounds 10 % twice (21 %), not the 33.1 % the
// values show.
const DAILY_SUMMARY = `
  ('${PORTFOLIO_A}', date '2025-03-03', 1000.0, 1000.0, 1000.0, null, null, null, 0, 0, null, ${RUN}),
  ('${PORTFOLIO_A}', date '2025-03-04', 1010.0, 200.0, 0.0, 1000.0, 10.0, 0.01, 2, 0, 0.5, ${RUN}),
  ('${PORTFOLIO_A}', date '2025-03-05', 999.9, 200.0, 0.0, 1010.0, -10.1, -0.01, 2, 0, 0.49, ${RUN}),
  ('${PORTFOLIO_A}', date '2025-03-06', 1099.9, 300.0, 100.0, 999.9, 0.0, 0.0, 2, 0, 0.45, ${RUN}),
  ('${PORTFOLIO_A}', date '2025-03-07', 1121.898, 300.0, 0.0, 1099.9, 21.998, 0.02, 2, 0, 0.46, ${RUN}),
  ('${PORTFOLIO_B}', date '2025-03-03', 50.0, 50.0, 50.0, null, null, null, 0, 0, null, ${RUN}),
  ('${PORTFOLIO_B}', date '2025-03-04', 55.0, 5.0, 0.0, 50.0, 5.0, 0.1, 1, 0, 0.9090909090909091, ${RUN}),
  ('${PORTFOLIO_C}', date '2025-03-03', 100.0, 100.0, 100.0, null, null, null, 0, 0, null, ${RUN}),
  ('${PORTFOLIO_C}', date '2025-03-04', 200.0, 200.0, 0.0, 100.0, 100.0, 1.0, 0, 0, null, ${RUN}),
  ('${PORTFOLIO_C}', date '2025-03-05', -100.0, -100.0, 0.0, 200.0, -300.0, -1.5, 0, 0, null, ${RUN}),
  ('${PORTFOLIO_C}', date '2025-03-06', 50.0, 50.0, 150.0, -100.0, 0.0, null, 0, 0, null, ${RUN}),
  ('${PORTFOLIO_C}', date '2025-03-07', 0.0, 0.0, 0.0, 50.0, -50.0, -1.0, 0, 0, null, ${RUN}),
  ('${PORTFOLIO_D}', date '2025-03-03', 1000.0, 100.0, 1000.0, null, null, null, 1, 0, 0.9, ${RUN}),
  ('${PORTFOLIO_D}', date '2025-03-04', 1100.0, 100.0, 0.0, 1000.0, 100.0, 0.1, 1, 0, 0.9090909090909091, ${RUN}),
  ('${PORTFOLIO_D}', date '2025-03-05', null, 50.0, 0.0, 1100.0, null, null, 2, 1, null, ${RUN}),
  ('${PORTFOLIO_D}', date '2025-03-06', null, 50.0, 0.0, null, null, null, 2, 1, null, ${RUN}),
  ('${PORTFOLIO_D}', date '2025-03-07', 1210.0, 50.0, 0.0, null, null, null, 2, 0, 0.9090909090909091, ${RUN}),
  ('${PORTFOLIO_D}', date '2025-03-10', 1331.0, 50.0, 0.0, 1210.0, 121.0, 0.1, 2, 0, 0.9090909090909091, ${RUN})`;

// var_calculations: portfolio_id, trade_date, market_value, observations, then pct and amount
// (pct * market_value) of historical_var_95/99, expected_shortfall_95/99, parametric_var_95/99,
// correlation_id, dbt_invocation_id. A's window is full on 2025-03-07, not yet on 2025-03-06.
const VAR_CALCULATIONS = `
  ('${PORTFOLIO_A}', date '2025-03-06', 1099.9, 249,
    null, null, null, null, null, null, null, null, null, null, null, null, ${RUN}),
  ('${PORTFOLIO_A}', date '2025-03-07', 1121.898, 250,
    0.015, 16.82847, 0.03, 33.65694, 0.022, 24.681756, 0.035, 39.26643,
    0.016, 17.950368, 0.024, 26.925552, ${RUN}),
  ('${PORTFOLIO_B}', date '2025-03-04', 55.0, 250,
    0.02, 1.1, 0.04, 2.2, 0.03, 1.65, 0.05, 2.75, 0.021, 1.155, 0.031, 1.705, ${RUN})`;

const MEASURE_COLUMNS = [
  'historical_var_95',
  'historical_var_99',
  'expected_shortfall_95',
  'expected_shortfall_99',
  'parametric_var_95',
  'parametric_var_99',
]
  .map((measure) => `${measure}_pct double, ${measure}_amount double`)
  .join(', ');

export interface GoldFixtures extends QueryRunner {
  readonly folder: string;
  close(): void;
}

export async function goldFixtures(): Promise<GoldFixtures> {
  const folder = mkdtempSync(join(tmpdir(), 'finks-gold-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`
    create table daily (
      portfolio_id varchar, trade_date date, market_value double, cash double,
      external_flow double, previous_market_value double, daily_pnl double, daily_return double,
      number_of_holdings bigint, unpriced_holdings bigint, largest_weight double,
      correlation_id varchar, dbt_invocation_id varchar
    );
    insert into daily values ${DAILY_SUMMARY};
    create table risk (
      portfolio_id varchar, trade_date date, market_value double, observations bigint,
      ${MEASURE_COLUMNS}, correlation_id varchar, dbt_invocation_id varchar
    );
    insert into risk values ${VAR_CALCULATIONS};
  `);
  // per_thread_output makes DuckDB write a folder of Parquet files, as dbt-on-Athena does.
  for (const table of ['daily', 'risk']) {
    await connection.run(
      `copy (select * from ${table}) to '${join(folder, table)}' (format parquet, per_thread_output true)`,
    );
  }
  await connection.run(`
    drop table daily;
    drop table risk;
    create schema ${GOLD_DATABASE};
    create view ${GOLD_DATABASE}.daily_portfolio_summary as select * from read_parquet('${folder}/daily/*.parquet');
    create view ${GOLD_DATABASE}.var_calculations as select * from read_parquet('${folder}/risk/*.parquet');
  `);

  return {
    folder,
    async run(query: BoundQuery): Promise<Row[]> {
      const reader = await connection.runAndReadAll(
        query.sql,
        query.params.map((param) => param.value),
      );
      return reader.getRowObjectsJson() as Row[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
