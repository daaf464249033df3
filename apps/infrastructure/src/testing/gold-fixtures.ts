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

const DAILY_VALUES = `
  ('${PORTFOLIO_A}', date '2025-03-03', 1000.0, 0.0, 0.0),
  ('${PORTFOLIO_A}', date '2025-03-04', 1010.0, 0.0, 0.01),
  ('${PORTFOLIO_A}', date '2025-03-05', 999.9, 0.0, -0.01),
  ('${PORTFOLIO_A}', date '2025-03-06', 1099.9, 100.0, 0.0),
  ('${PORTFOLIO_A}', date '2025-03-07', 1121.898, 0.0, 0.02),
  ('${PORTFOLIO_B}', date '2025-03-03', 50.0, 0.0, 0.0),
  ('${PORTFOLIO_B}', date '2025-03-04', 55.0, 0.0, 0.1)`;

const VAR_ROWS = `
  ('${PORTFOLIO_A}', date '2025-03-07', 0.99, 1, 41.5, 'CAD'),
  ('${PORTFOLIO_A}', date '2025-03-07', 0.95, 1, 25.25, 'CAD'),
  ('${PORTFOLIO_A}', date '2025-03-07', 0.95, 10, 80.0, 'CAD'),
  ('${PORTFOLIO_B}', date '2025-03-07', 0.95, 1, 3.0, 'USD')`;

export interface GoldFixtures extends QueryRunner {
  readonly folder: string;
  close(): void;
}

export async function goldFixtures(): Promise<GoldFixtures> {
  const folder = mkdtempSync(join(tmpdir(), 'finks-gold-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`
    create table daily (portfolio_id varchar, as_of_date date, market_value double, net_flows double, daily_return double);
    insert into daily values ${DAILY_VALUES};
    create table risk (portfolio_id varchar, as_of_date date, confidence double, horizon_days bigint, var_amount double, currency varchar);
    insert into risk values ${VAR_ROWS};
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
    create view ${GOLD_DATABASE}.portfolio_daily_values as select * from read_parquet('${folder}/daily/*.parquet');
    create view ${GOLD_DATABASE}.portfolio_var as select * from read_parquet('${folder}/risk/*.parquet');
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
