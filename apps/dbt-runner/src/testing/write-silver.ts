import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CONTRACTS, type DatasetContract } from '@finks/contracts';
import { localSilverDatasetPath, type LocalLake } from '../lake/local-lake';
import type { SyntheticSilver } from './synthetic-silver';

function duckdbType(type: string): string {
  if (type === 'string') return 'varchar';
  return type;
}

/** The contract's partition column: the date of its `derivedFrom` column. */
function partitionExpression(contract: DatasetContract): string {
  return `cast(cast(${contract.partitionKey.derivedFrom} as timestamp) as date)`;
}

/**
 * Writes every contract's rows as Parquet into the lake's silver zone, `dt=` partitioned, with
 * exactly the contract's silver columns and types (missing fields become typed nulls).
 */
export async function writeSyntheticSilver(
  lake: LocalLake,
  silver: SyntheticSilver,
  scratchDir: string,
): Promise<void> {
  await mkdir(scratchDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // One Parquet file per dt= partition, as a daily ingestion writes it (parallel writers would
  // leave one file per thread and partition, multiplying what every scan of silver lists).
  await connection.run('set threads = 1');
  try {
    for (const contract of CONTRACTS) {
      const rows = silver.tables[contract.id] ?? [];
      const json = join(scratchDir, `${contract.silverTable}.ndjson`);
      await writeFile(json, rows.map((row) => JSON.stringify(row)).join('\n'));
      const target = localSilverDatasetPath(lake, contract);
      await rm(target, { recursive: true, force: true });
      await mkdir(target, { recursive: true });
      const present = new Set(rows.flatMap((row) => Object.keys(row)));
      const columns = contract.columns.map((column) =>
        present.has(column.name)
          ? `cast(${column.name} as ${duckdbType(column.type)}) as ${column.name}`
          : `cast(null as ${duckdbType(column.type)}) as ${column.name}`,
      );
      const jsonColumns = [...present].map((name) => `'${name}': 'varchar'`).join(', ');
      await connection.run(`
        copy (
          select ${columns.join(', ')}, ${partitionExpression(contract)} as dt
          from read_json('${json}', format = 'newline_delimited', columns = {${jsonColumns}})
        ) to '${target}' (format parquet, partition_by (dt), overwrite_or_ignore true)
      `);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
