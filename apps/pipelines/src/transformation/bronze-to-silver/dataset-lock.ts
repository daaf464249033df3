// One cleansing per silver table at a time. Each cleansing rebuilds the partitions it touches from
// the silver it read, then swaps them in: two at once (a master flow and a CLI backfill, or
// dbt-build's cleansePendingFirst) would each drop the other's rows. A lock file per dataset,
// created with O_EXCL, lets only one of them work; the other waits.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { DatasetContract } from '@finks/contracts';
import { DatasetLockedError, type LockHolder } from './dataset-locked-error';

/**
 * `<silver bucket>/_locks/<source>/<dataset>.lock`: outside every table's folder, starting with
 * `_` (which Hive, Spark and Athena skip) and not a `.parquet` file, so no silver reader (dbt's
 * `source=…/dataset=…/**\/*.parquet` globs, Glue table locations) ever sees it.
 */
export function datasetLockPath(silverBucket: string, contract: DatasetContract): string {
  return join(silverBucket, '_locks', contract.source, `${contract.dataset}.lock`);
}

export interface LockWait {
  /** How long to wait for another cleansing before giving up. */
  readonly timeoutMs: number;
  /** Told when a stale lock is taken over. */
  readonly log: (line: string) => void;
}

/** Default wait: a full load of the largest dataset takes minutes, not half an hour. */
export const LOCK_TIMEOUT_MS = 30 * 60_000;

const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;

/** Takes the dataset's lock, waiting while another cleansing holds it; resolves to its release. */
export async function lockDataset(
  silverBucket: string,
  contract: DatasetContract,
  runId: string,
  wait: LockWait,
): Promise<() => Promise<void>> {
  const path = datasetLockPath(silverBucket, contract);
  await mkdir(dirname(path), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    runId,
    started: new Date().toISOString(),
  };
  const deadline = Date.now() + wait.timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    if (await tryCreate(path, holder)) {
      const own = lockText(holder);
      // Only its own: were it ever judged gone and taken over, the lock is another run's now.
      return async () => {
        if ((await readLock(path)) === own) await rm(path, { force: true });
      };
    }
    const text = await readLock(path);
    // Gone since: try again at once. Unreadable JSON: its holder is still writing it.
    if (text === null) continue;
    const current = parseHolder(text);
    const stale = current !== null && isStale(current);
    if (stale && (await removeIfUnchanged(path, text))) {
      wait.log(
        `${contract.id}: taking over the lock ${path} of run ${current.runId} ` +
          `(pid ${current.pid} on ${current.host} is no longer running)`,
      );
      continue;
    }
    // A takeover another waiter has claimed is waited for like a live holder: that waiter
    // finishes it in a moment, or was stopped mid-way and left its claim (the error says so).
    if (Date.now() >= deadline) {
      throw new DatasetLockedError(
        contract.id,
        path,
        current,
        stale ? claimPath(path, text) : null,
      );
    }
    // Jitter keeps waiters that started together from retrying together.
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())) * (0.5 + Math.random() / 2));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/**
 * Removes the lock at `path` only if it still holds `judged` (the text found stale). Several
 * waiters may judge one dead holder at once, and a read then a delete let each remove the lock
 * another had just taken (both then cleanse). So the removal of a given stale text is claimed
 * first: `<lock>.takeover-<digest of the text>`, created exclusively, lets one waiter alone check
 * and delete it. While that claim exists nobody else can delete the text, and once the text is
 * gone a later claim finds another lock there and leaves it. (A waiter killed holding a claim
 * leaves it behind: waiters then wait as for a live holder, and DatasetLockedError names it.)
 */
export async function removeIfUnchanged(path: string, judged: string): Promise<boolean> {
  const claim = claimPath(path, judged);
  try {
    await (await open(claim, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    if ((await readLock(path)) !== judged) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    await rm(claim, { force: true });
  }
}

/** `<lock>.takeover-<16 hex of the judged text's SHA-256>`; silver_lock.py names it alike. */
function claimPath(path: string, judged: string): string {
  return `${path}.takeover-${createHash('sha256').update(judged).digest('hex').slice(0, 16)}`;
}

const lockText = (holder: LockHolder) => `${JSON.stringify(holder)}\n`;

async function tryCreate(path: string, holder: LockHolder): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await file.writeFile(lockText(holder));
  } finally {
    await file.close();
  }
  return true;
}

/** The lock file's text, or null when it is gone. */
async function readLock(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      runId: String(value.runId),
      started: String(value.started),
    };
  } catch {
    return null;
  }
}

/** A holder on this host whose process is gone; one on another host may still be running. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
