import type { BoundQuery } from './portfolio-queries';

export type Cell = string | number | boolean | null;
export type Row = Readonly<Record<string, Cell>>;

/** Runs a bound query: Athena in Lambda, DuckDB in tests. */
export interface QueryRunner {
  run(query: BoundQuery): Promise<Row[]>;
}
