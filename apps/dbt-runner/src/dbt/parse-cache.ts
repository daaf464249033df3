import { copyFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** dbt's partial-parsing state, written into the target folder by every invocation. */
export const PARTIAL_PARSE_FILE = 'partial_parse.msgpack';

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Each run has its own target folder (so a stale run_results.json is never reported), which
 * would leave dbt without the previous run's parse: it re-parses the whole project, about half
 * of dbt's start-up. Seeding the run's folder from a kept copy lets dbt re-parse only what
 * changed (dbt itself rejects the copy when the project, profile, target or --vars differ).
 */
export async function restoreParseCache(cacheDir: string, targetPath: string): Promise<void> {
  try {
    await copyFile(join(cacheDir, PARTIAL_PARSE_FILE), join(targetPath, PARTIAL_PARSE_FILE));
  } catch (error) {
    if (!missing(error)) throw error;
  }
}

/** Keeps the run's parse for the next run; a rename, so a reader never sees half a file. */
export async function keepParseCache(cacheDir: string, targetPath: string): Promise<void> {
  const kept = join(cacheDir, PARTIAL_PARSE_FILE);
  const partial = `${kept}.${process.pid}.tmp`;
  try {
    await copyFile(join(targetPath, PARTIAL_PARSE_FILE), partial);
  } catch (error) {
    if (missing(error)) return;
    throw error;
  }
  await rename(partial, kept);
}
