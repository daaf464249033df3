import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseBatchManifest, type DatasetContract } from '@finks/contracts';
import {
  bronzeDatasetPrefix,
  bronzePartitionPrefix,
  bucketName,
  cleansedBatchKey,
  cleansedDatasetPrefix,
  lakeLocation,
  parseBronzePartitionPrefix,
  toLocalPath,
  type Env,
  type Zone,
} from '@finks/lake-paths';

/** The account the local lake's bucket names use. */
export const LOCAL_ACCOUNT_ID = '123456789012';

export interface LocalLake {
  /** Absolute folder holding one folder per bucket. */
  readonly root: string;
  readonly env: Env;
  readonly accountId: string;
}

/** Where a local-lake run works: the lake's folder, and the env and account of its buckets. */
export interface LocalLakeOptions {
  /** Absolute folder of the local lake: `<lakeRoot>/<bucket>/<key>`. */
  readonly lakeRoot: string;
  /** Default `local`. */
  readonly env?: Env;
  /** Default the local lake's `123456789012`. */
  readonly accountId?: string;
}

export function localLake(options: LocalLakeOptions): LocalLake {
  return {
    root: options.lakeRoot,
    env: options.env ?? 'local',
    accountId: options.accountId ?? LOCAL_ACCOUNT_ID,
  };
}

export function bucketFolder(lake: LocalLake, zone: Zone): string {
  const bucket = bucketName({ env: lake.env, zone, accountId: lake.accountId });
  return join(lake.root, bucket);
}

/** A complete bronze batch (one run's output in one `dt`): the parts its manifest lists. */
export interface BronzeBatch {
  readonly dt: string;
  readonly runId: string;
  /** The manifest's `createdAt`: a batch written again (a retried run) is a new version of it. */
  readonly writtenAt: string;
  readonly paths: readonly string[];
  /** Records the manifest counts in the parts. */
  readonly rows: number;
}

/** What the silver ledger keeps of a cleansed batch (`cleansedBatchKey`). */
export interface CleansedBatchEntry {
  readonly version: 1;
  /** The bronze manifest's `createdAt` when cleansed: a batch written since is pending again. */
  readonly bronzeWrittenAt: string;
  readonly cleansedBy: string;
  readonly cleansedAt: string;
  /** Records of the batch the cleansing rejected (the rest are in silver). */
  readonly quarantined: number;
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

/** The parsed file, or null when there is none; `what` and `fix` word the error when it is not JSON. */
async function readJson<T>(path: string, what: string, fix: string): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${what} ${path} is not JSON (${(error as Error).message}); ${fix}`);
  }
}

/**
 * The complete batches of `dates`. A run without a manifest is incomplete (its writer may have
 * crashed), so its parts are never read.
 */
export async function manifestedBatches(
  lake: LocalLake,
  contract: DatasetContract,
  dates: readonly string[],
): Promise<BronzeBatch[]> {
  const bucket = bucketName({ env: lake.env, zone: 'bronze', accountId: lake.accountId });
  const batches: BronzeBatch[] = [];
  for (const dt of [...new Set(dates)].sort()) {
    const prefix = bronzePartitionPrefix({
      source: contract.source,
      dataset: contract.dataset,
      dt,
    });
    const partitionPath = toLocalPath(lakeLocation(bucket, prefix), lake.root);
    for (const run of (await subfolders(partitionPath)).sort()) {
      if (!run.startsWith('run=')) continue;
      const manifestPath = join(partitionPath, run, '_manifest.json');
      const text = await readFile(manifestPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      // No manifest: the run may still be writing, or crashed; its parts are not a batch.
      if (text === null) continue;
      const runId = run.slice('run='.length);
      // BatchManifestError names the file and every field that is wrong, including parts
      // outside this run folder (the keys are joined to the lake root below).
      const foundIn = { source: contract.source, dataset: contract.dataset, dt, runId };
      const manifest = parseBatchManifest(text, manifestPath, foundIn);
      batches.push({
        dt,
        runId,
        writtenAt: manifest.createdAt,
        paths: manifest.parts.map((part) => join(lake.root, bucket, part.key)),
        rows: manifest.parts.reduce((sum, part) => sum + part.rows, 0),
      });
    }
  }
  return batches;
}

/** Every bronze `dt` partition of the dataset, in order (a rebuild reads them all). */
export async function bronzeDates(lake: LocalLake, contract: DatasetContract): Promise<string[]> {
  const bucket = bucketName({ env: lake.env, zone: 'bronze', accountId: lake.accountId });
  const prefix = bronzeDatasetPrefix({ source: contract.source, dataset: contract.dataset });
  const folders = await subfolders(toLocalPath(lakeLocation(bucket, prefix), lake.root));
  // lake-paths reads each `dt=` folder: one that is not a real date fails, naming it.
  return folders
    .filter((name) => name.startsWith('dt='))
    .map((name) => parseBronzePartitionPrefix(`${prefix}${name}/`).dt)
    .sort();
}

/** Deletes the table's whole ledger: a rebuild records its batches anew. */
export async function forgetCleansed(lake: LocalLake, contract: DatasetContract): Promise<void> {
  const prefix = cleansedDatasetPrefix({ source: contract.source, dataset: contract.dataset });
  await rm(join(bucketFolder(lake, 'silver'), prefix), { recursive: true, force: true });
}

function ledgerPath(lake: LocalLake, contract: DatasetContract, batch: BronzeBatch): string {
  const key = cleansedBatchKey({
    source: contract.source,
    dataset: contract.dataset,
    dt: batch.dt,
    runId: batch.runId,
  });
  return join(bucketFolder(lake, 'silver'), key);
}

/** Whether the silver ledger says this version of the batch was cleansed already. */
export async function isCleansed(
  lake: LocalLake,
  contract: DatasetContract,
  batch: BronzeBatch,
): Promise<boolean> {
  const entry = await readJson<CleansedBatchEntry>(
    ledgerPath(lake, contract, batch),
    'silver ledger entry',
    'delete it and the batch is cleansed again (reruns are idempotent)',
  );
  return entry !== null && entry.bronzeWrittenAt === batch.writtenAt;
}

/** Records the batch in the silver ledger; written after its rows are in silver. */
export async function recordCleansed(
  lake: LocalLake,
  contract: DatasetContract,
  batch: BronzeBatch,
  entry: Omit<CleansedBatchEntry, 'version' | 'bronzeWrittenAt'>,
): Promise<void> {
  const path = ledgerPath(lake, contract, batch);
  await mkdir(dirname(path), { recursive: true });
  const body: CleansedBatchEntry = { version: 1, bronzeWrittenAt: batch.writtenAt, ...entry };
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
}
