// What writing silver by day costs on this machine, apart from the cleansing: the silver rows a
// run wrote, read back into memory and written again (1) as one Parquet file, the baseline, and
// (2) as one file per `dt` partition, as silver is. (2) / (1) is the price of daily partitions;
// rows / (2) bounds the rows/s of any cleansing that writes them (cleansing-ceiling.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString as quote } from '../src/transformation/bronze-to-silver/contract-sql';

export interface PartitionWriteFloor {
  readonly rows: number;
  readonly partitions: number;
  readonly oneFileSeconds: number;
  readonly partitionedSeconds: number;
}

/** `datasetFolder`: a silver table's folder (its `dt=` partitions); null when it has no files. */
export async function partitionWriteFloor(
  datasetFolder: string,
): Promise<PartitionWriteFloor | null> {
  const out = await mkdtemp(join(tmpdir(), 'finks-partition-floor-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  const timed = async (sql: string) => {
    const started = performance.now();
    await connection.run(sql);
    return (performance.now() - started) / 1000;
  };
  const files = join(datasetFolder, 'dt=*/*.parquet');
  try {
    const found = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER FROM glob(${quote(files)})`,
    );
    if (found.getRows()[0]?.[0] === 0) return null;
    await connection.run(
      `CREATE TABLE silver AS SELECT * FROM read_parquet(${quote(files)},
        hive_partitioning = true, hive_types = {'dt': 'DATE'}) ORDER BY dt`,
    );
    const counts = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT dt)::INTEGER AS partitions FROM silver`,
    );
    const [n, partitions] = counts.getRows()[0] as [number, number];
    const oneFileSeconds = await timed(
      `COPY silver TO ${quote(join(out, 'all.parquet'))} (FORMAT parquet, COMPRESSION snappy)`,
    );
    const partitionedSeconds = await timed(
      `COPY silver TO ${quote(join(out, 'by-dt'))} (FORMAT parquet, PARTITION_BY (dt), COMPRESSION snappy)`,
    );
    return { rows: n, partitions, oneFileSeconds, partitionedSeconds };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(out, { recursive: true, force: true });
  }
}
