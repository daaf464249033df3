import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  bucketName,
  goldMartPrefix,
  lakeLocation,
  silverDatasetPrefix,
  toLocalPath,
  type Env,
} from '@finks/lake-paths';

/** The gold marts the dbt project builds; each gets `mart=<name>/` in the gold zone. */
export const GOLD_MARTS = [
  'daily_portfolio_summary',
  'monthly_performance',
  'var_calculations',
] as const;

export type GoldMart = (typeof GOLD_MARTS)[number];

/** A filesystem lake: `<lakeRoot>/<bucket>/<key>`, buckets named by env, zone and account. */
export interface LocalLake {
  /** Absolute path of the lake root (config `lake.root`). */
  readonly lakeRoot: string;
  readonly env: Env;
  readonly accountId: string;
}

/** The silver bucket's folder (FINKS_SILVER_ROOT for dbt); datasets live under their prefix. */
export function localSilverRoot(lake: LocalLake): string {
  return join(
    lake.lakeRoot,
    bucketName({ env: lake.env, zone: 'silver', accountId: lake.accountId }),
  );
}

/** The folder of one silver dataset (its `dt=` partitions below). */
export function localSilverDatasetPath(
  lake: LocalLake,
  dataset: { readonly source: string; readonly dataset: string },
): string {
  const bucket = bucketName({ env: lake.env, zone: 'silver', accountId: lake.accountId });
  return toLocalPath(lakeLocation(bucket, silverDatasetPrefix(dataset)), lake.lakeRoot);
}

/** `mart=<name>/` folders in the gold bucket, keyed by mart (FINKS_GOLD_MART_LOCATIONS for dbt). */
export function localGoldMartLocations(lake: LocalLake): Record<GoldMart, string> {
  const bucket = bucketName({ env: lake.env, zone: 'gold', accountId: lake.accountId });
  const entries = GOLD_MARTS.map(
    (mart) =>
      [mart, toLocalPath(lakeLocation(bucket, goldMartPrefix({ mart })), lake.lakeRoot)] as const,
  );
  return Object.fromEntries(entries) as Record<GoldMart, string>;
}

/** The Parquet file the DuckDB target writes for a mart (see macros/gold_marts.sql). */
export function localGoldMartFile(lake: LocalLake, mart: GoldMart): string {
  return join(localGoldMartLocations(lake)[mart], `${mart}.parquet`);
}

/** Whether any silver dataset of the lake holds a Parquet file. */
export async function hasSilver(lake: LocalLake): Promise<boolean> {
  try {
    const entries = await readdir(localSilverRoot(lake), { recursive: true });
    return entries.some((entry) => entry.endsWith('.parquet'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
