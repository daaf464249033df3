// What reading bronze costs on this machine, apart from the cleansing's checks: the lines of the
// batches a cleansing reads, decompressed and split by the cleansing's own reader (linesSql),
// then parsed once into the contract's types with DuckDB's cheapest parse (a typed `from_json`,
// which does not check: a value of the wrong type just becomes NULL). rows / seconds bounds the
// rows/s of any DuckDB cleansing of that bronze (issue #7's 1 M rows/s).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DatasetContract } from '@finks/contracts';
import { linesSql } from '../src/transformation/bronze-to-silver/check-sql';
import { duckdbType, sqlString } from '../src/transformation/bronze-to-silver/contract-sql';
import { localLake, manifestedBatches } from '../src/transformation/bronze-to-silver/local-lake';

export interface BronzeReadFloor {
  readonly lines: number;
  /** Their characters, unzipped. */
  readonly characters: number;
  /** Decompressing and splitting into lines. */
  readonly linesSeconds: number;
  /** The same, and parsing each line into typed values. */
  readonly parsedSeconds: number;
}

/** The envelope and the contract's payload fields, each as its silver type. */
function typedStructure(contract: DatasetContract): string {
  const payload = Object.fromEntries(
    contract.columns
      .filter((column) => column.sourceField !== null)
      .map((column) => [column.sourceField ?? column.name, duckdbType(column)]),
  );
  return JSON.stringify({
    fetched_at: 'VARCHAR',
    run_id: 'VARCHAR',
    source_offset: 'VARCHAR',
    payload,
  });
}

async function timedRow(connection: DuckDBConnection, sql: string) {
  const started = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, values: (reader.getRows()[0] ?? []).map(Number) };
}

/** The complete bronze batches of `dates` in the local lake at `lakeRoot`, read and parsed. */
export async function bronzeReadFloor(
  lakeRoot: string,
  contract: DatasetContract,
  dates: readonly string[],
): Promise<BronzeReadFloor> {
  const batches = await manifestedBatches(localLake({ lakeRoot }), contract, dates);
  const lines = linesSql(batches.flatMap((batch) => batch.paths));
  // The cleansing's threads (bronze-to-silver.ts: 2), and no memory limit: a floor, not a lane.
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const read = await timedRow(
      connection,
      `SELECT count(*)::BIGINT, coalesce(sum(strlen(line)), 0)::BIGINT FROM (${lines})`,
    );
    // count(r) keeps the parse: DuckDB does not skip a value the query reads.
    const parsed = await timedRow(
      connection,
      `SELECT count(r)::BIGINT FROM (
        SELECT try(from_json(line, ${sqlString(typedStructure(contract))})) AS r FROM (${lines}))`,
    );
    return {
      lines: read.values[0] ?? 0,
      characters: read.values[1] ?? 0,
      linesSeconds: read.seconds,
      parsedSeconds: parsed.seconds,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
