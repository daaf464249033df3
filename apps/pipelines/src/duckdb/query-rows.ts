import type { DuckDBConnection } from '@duckdb/node-api';

/** The rows of `sql` as plain objects (DuckDB's BIGINT as bigint, DATE as Date…). */
export async function queryRows(
  connection: DuckDBConnection,
  sql: string,
): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}
