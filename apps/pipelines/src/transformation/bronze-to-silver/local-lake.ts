import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetContract } from '@finks/contracts';
import {
  bronzePartitionPrefix,
  bucketName,
  lakeLocation,
  toLocalPath,
  type Env,
  type Zone,
} from '@finks/lake-paths';
import type { BronzeManifest } from './bronze-envelope';

/** The account the local lake's bucket names use. */
export const LOCAL_ACCOUNT_ID = '123456789012';

export interface LocalLake {
  /** Absolute folder holding one folder per bucket. */
  readonly root: string;
  readonly env: Env;
  readonly accountId: string;
}

export function bucketFolder(lake: LocalLake, zone: Zone): string {
  const bucket = bucketName({ env: lake.env, zone, accountId: lake.accountId });
  return join(lake.root, bucket);
}

/** A bronze part listed by a manifest, with the bronze batch (`dt` and run) it belongs to. */
export interface ManifestedPart {
  readonly dt: string;
  readonly runId: string;
  readonly path: string;
}

async function subfolders(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The parts the manifests of `dates` list. A run without a manifest is incomplete (its writer
 * may have crashed), so its parts are never read.
 */
export async function manifestedParts(
  lake: LocalLake,
  contract: DatasetContract,
  dates: readonly string[],
): Promise<ManifestedPart[]> {
  const bucket = bucketName({ env: lake.env, zone: 'bronze', accountId: lake.accountId });
  const parts: ManifestedPart[] = [];
  for (const dt of [...new Set(dates)].sort()) {
    const prefix = bronzePartitionPrefix({
      source: contract.source,
      dataset: contract.dataset,
      dt,
    });
    const partitionPath = toLocalPath(lakeLocation(bucket, prefix), lake.root);
    for (const run of (await subfolders(partitionPath)).sort()) {
      if (!run.startsWith('run=')) continue;
      let manifest: BronzeManifest;
      try {
        manifest = JSON.parse(
          await readFile(join(partitionPath, run, '_manifest.json'), 'utf8'),
        ) as BronzeManifest;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      if (!Array.isArray(manifest.parts)) {
        throw new Error(
          `bronze manifest ${join(partitionPath, run)}/_manifest.json lists no parts`,
        );
      }
      for (const part of manifest.parts) {
        parts.push({
          dt,
          runId: run.slice('run='.length),
          path: join(lake.root, bucket, part.key),
        });
      }
    }
  }
  return parts;
}
