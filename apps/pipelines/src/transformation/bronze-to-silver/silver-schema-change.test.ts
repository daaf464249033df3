// Silver written before the contract gained a column: merging new rows into it reads the column
// as NULL when it is nullable, and fails saying to rebuild when it is not.
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bronzeToSilver } from './bronze-to-silver';
import { EOD_SILVER, silverKeys, stagingFolders, writeEodBatch } from './testing/eod-fixture';

const RUN_1 = '20261124T220000Z-aaaa01';
const RUN_2 = '20261125T220000Z-bbbb02';

let lakeRoot: string;

beforeEach(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'finks-b2s-schema-'));
  await writeEodBatch(lakeRoot, '2026-11-24', RUN_1, [['AAPL', '2026-11-24']]);
  await bronzeToSilver({
    lakeRoot,
    datasets: ['fmp.eod_prices'],
    dates: ['2026-11-24'],
    runId: '20261125T000000Z-clean1',
  });
  // A later batch for the same partition.
  await writeEodBatch(lakeRoot, '2026-11-25', RUN_2, [['MSFT', '2026-11-24']]);
});

afterEach(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

/** Rewrites every silver file without `column`, as written before the contract had it. */
async function dropFromSilver(column: string) {
  const folder = join(lakeRoot, EOD_SILVER, 'dt=2026-11-24');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const name of await readdir(folder)) {
      const file = join(folder, name);
      const older = join(lakeRoot, 'older.parquet');
      await connection.run(
        `COPY (SELECT * EXCLUDE (${column}) FROM read_parquet('${file}', hive_partitioning = false))
          TO '${older}' (FORMAT parquet)`,
      );
      await rename(older, file);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const cleanseLater = () =>
  bronzeToSilver({
    lakeRoot,
    datasets: ['fmp.eod_prices'],
    dates: ['2026-11-25'],
    runId: '20261126T000000Z-clean2',
  });

describe('merging into silver written under an older contract', () => {
  it('reads a nullable column the old files lack as NULL', async () => {
    await dropFromSilver('vwap');
    const [summary] = await cleanseLater();
    expect(summary?.silverRowsInPartitions).toBe(2);
    expect(await silverKeys(lakeRoot)).toEqual(['AAPL 2026-11-24', 'MSFT 2026-11-24']);
  });

  it('fails on a non-nullable column the old files lack, naming the dataset and the rebuild', async () => {
    await dropFromSilver('volume');
    const error = await cleanseLater().catch((caught: unknown) => caught);
    expect((error as Error).message).toContain(
      'silver of fmp.eod_prices has rows without volume, which the contract requires',
    );
    expect((error as Error).message).toContain('batches: rebuild');
    // The failed run leaves the table as it was and no staging folder behind.
    expect(await silverKeys(lakeRoot)).toEqual(['AAPL 2026-11-24']);
    expect(await stagingFolders(lakeRoot)).toEqual([]);
  });
});
