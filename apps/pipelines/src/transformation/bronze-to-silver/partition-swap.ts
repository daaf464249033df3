// Swapping rewritten `dt=` partitions into a silver table without ever losing the old ones.
//
// A cleansing writes its partitions into a staging folder beside the table
// (`.staging-<dataset>-<runId>/dt=…`), then for each: moves the table's partition aside into
// `<staging>/.old/dt=…`, and the new one into place. The old copies go only once every swap is
// done; a failure moves them back. The ledger of cleansed batches is written after the swaps, so a
// run killed half-way recorded none of its batches: they are pending again, and the old partitions
// hold exactly the rows of the batches the ledger lists. Hence the recovery the next cleansing of
// the dataset does first (under the dataset's lock, so no live run owns the folders it looks at):
// a partition missing from the table whose old copy is in a leftover `.old/` is moved back; where
// both exist the new one stays (it holds the old rows merged with the dead run's, which the rerun
// of its pending batches merges again); then the leftover staging folder goes.
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatasetContract } from '@finks/contracts';
import { parseRunId } from '@finks/lake-paths';
import { PartitionSwapError } from './partition-swap-error';

const OLD = '.old';

/** Outside the table's folder, so a reader listing the table never sees half-written files. */
export function stagingFolder(
  datasetFolder: string,
  contract: DatasetContract,
  runId: string,
): string {
  return join(dirname(datasetFolder), `${stagingPrefix(contract)}${runId}`);
}

const stagingPrefix = (contract: DatasetContract) => `.staging-${contract.dataset}-`;

async function entries(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

// Renames a few at once (libuv's pool has 4 threads); every rename of a round settles before the
// next round, or before a failure is handled, so a rollback never races a rename in flight.
const SWAP_CONCURRENCY = 16;

/**
 * Swaps `<staging>/dt=<dt>` into `<datasetFolder>/dt=<dt>` for each of `dates`; `existing` are
 * the dates whose partition the table has. Moves every old partition back when one swap fails.
 */
export async function swapPartitions(
  staging: string,
  datasetFolder: string,
  dates: readonly string[],
  existing: ReadonlySet<string>,
): Promise<void> {
  const old = join(staging, OLD);
  await mkdir(old, { recursive: true });
  await mkdir(datasetFolder, { recursive: true });
  const aside: string[] = [];
  const swap = async (dt: string) => {
    const target = join(datasetFolder, `dt=${dt}`);
    if (existing.has(dt)) {
      await rename(target, join(old, `dt=${dt}`));
      aside.push(dt);
    }
    await rename(join(staging, `dt=${dt}`), target);
  };
  try {
    for (let start = 0; start < dates.length; start += SWAP_CONCURRENCY) {
      const round = await Promise.allSettled(
        dates.slice(start, start + SWAP_CONCURRENCY).map(swap),
      );
      const failed = round.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
  } catch (error) {
    const stuck: string[] = [];
    for (const dt of aside) {
      const target = join(datasetFolder, `dt=${dt}`);
      try {
        await rm(target, { recursive: true, force: true });
        await rename(join(old, `dt=${dt}`), target);
      } catch {
        stuck.push(dt);
      }
    }
    throw new PartitionSwapError(datasetFolder, old, stuck, error);
  }
}

/**
 * Puts back the partitions a crashed cleansing of the dataset moved aside and did not replace,
 * then removes every staging folder it left; returns the dates put back.
 */
export async function recoverStaging(
  datasetFolder: string,
  contract: DatasetContract,
): Promise<string[]> {
  const parent = dirname(datasetFolder);
  const prefix = stagingPrefix(contract);
  // Only `<prefix><a run id>`: another dataset's name never starts like that (run ids hold no `-`
  // before the suffix's, and dataset names no `-`), but say so by parsing, not by hoping.
  const leftovers = (await entries(parent)).filter((name) => {
    if (!name.startsWith(prefix)) return false;
    try {
      parseRunId(name.slice(prefix.length));
      return true;
    } catch {
      return false;
    }
  });
  const restored: string[] = [];
  for (const name of leftovers) {
    const old = join(parent, name, OLD);
    for (const folder of await entries(old)) {
      if (!folder.startsWith('dt=')) continue;
      const target = join(datasetFolder, folder);
      if (await exists(target)) continue;
      await mkdir(datasetFolder, { recursive: true });
      await rename(join(old, folder), target);
      restored.push(folder.slice('dt='.length));
    }
    await rm(join(parent, name), { recursive: true, force: true });
  }
  return restored.sort();
}
