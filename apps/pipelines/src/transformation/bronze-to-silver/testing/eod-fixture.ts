// A small fmp.eod_prices lake for the tests of how cleansings share a silver table: bronze batches
// of a few prices, and silver read back as `SYMBOL trade_date` keys.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { bronzeLine, writeBronzeRun } from './bronze-fixture';

export const SILVER_BUCKET = 'finks-local-silver-123456789012';
/** The eod_prices table, relative to the lake root. */
export const EOD_SILVER = `${SILVER_BUCKET}/source=fmp/dataset=eod_prices`;
/** The folder beside it that holds the staging folders. */
export const FMP_SILVER = `${SILVER_BUCKET}/source=fmp`;

/** One complete bronze batch of `dt` holding a price per `[symbol, trade date]`. */
export async function writeEodBatch(
  lakeRoot: string,
  dt: string,
  runId: string,
  prices: readonly (readonly [string, string])[],
): Promise<void> {
  await writeBronzeRun(
    lakeRoot,
    'fmp',
    'eod_prices',
    dt,
    runId,
    prices.map(([symbol, date], index) =>
      bronzeLine('fmp', 'eod_prices', runId, `${dt}T22:00:00.000Z`, index, {
        symbol,
        date,
        open: 10,
        high: 12,
        low: 9,
        close: 11,
        volume: 100,
      }),
    ),
  );
}

/** Every silver row as `SYMBOL trade_date`, sorted; files of any schema (union_by_name). */
export async function silverKeys(lakeRoot: string): Promise<string[]> {
  const folder = join(lakeRoot, EOD_SILVER);
  const files = (await readdir(folder, { recursive: true }))
    .filter((name) => name.endsWith('.parquet'))
    .map((name) => `'${join(folder, name)}'`);
  if (files.length === 0) return [];
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT symbol || ' ' || strftime(trade_date, '%Y-%m-%d') AS key
        FROM read_parquet([${files.join(', ')}], union_by_name = true) ORDER BY key`,
    );
    return reader.getRowObjectsJS().map((row) => String(row['key']));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The staging folders beside the table (none once a cleansing has ended). */
export async function stagingFolders(lakeRoot: string): Promise<string[]> {
  const names = await readdir(join(lakeRoot, FMP_SILVER)).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith('.staging-'));
}
