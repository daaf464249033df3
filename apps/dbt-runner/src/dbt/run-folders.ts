import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * How many runs' target folders a work dir keeps. Each run gets a folder of its own (so a stale
 * run_results.json is never read) of ≈ 5 MB; the artifacts that matter are published to the
 * artifacts zone, so the folders are only for looking at a recent run's compiled SQL. Without a
 * limit a developer's `.finks/dbt/local/runs` grew by one folder per local run.
 */
export const KEPT_RUN_FOLDERS = 10;

const RUNS = 'runs';

/** `<workDir>/runs/<ISO time>-<command>`: names that sort by start time. */
function runFolderName(command: string, startedAt: Date): string {
  return `${startedAt.toISOString().replace(/[:.]/g, '-')}-${command}`;
}

/**
 * Creates the folder for a new run, after removing the oldest folders beyond the last
 * `KEPT_RUN_FOLDERS - 1`, and returns its path.
 */
export async function newRunFolder(
  workDir: string,
  command: string,
  startedAt: Date = new Date(),
): Promise<string> {
  const runs = join(workDir, RUNS);
  let existing: string[] = [];
  try {
    existing = (await readdir(runs)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const stale = existing.slice(0, Math.max(0, existing.length - (KEPT_RUN_FOLDERS - 1)));
  await Promise.all(stale.map((name) => rm(join(runs, name), { recursive: true, force: true })));
  const folder = join(runs, runFolderName(command, startedAt));
  await mkdir(folder, { recursive: true });
  return folder;
}
