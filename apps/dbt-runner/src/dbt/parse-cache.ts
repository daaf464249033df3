import { createHash } from 'node:crypto';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DBT_PROJECT_DIR } from '../app-root';
import type { TargetEnvironment } from './target-environment';

/** dbt's partial-parsing state, written into the target folder by every invocation. */
export const PARTIAL_PARSE_FILE = 'partial_parse.msgpack';

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
/** A project folder the runner may not write (a read-only image): the run goes on uncached. */
const unwritable = (error: unknown) =>
  ['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * The folder that keeps the parse of one project for one target, shared by every lake and work
 * dir: inside the project's own `target/` (ignored by git, removed by `dbt clean`). dbt itself
 * rejects a saved parse when the project, --vars, the profile's values or the target differ;
 * the key (target, its env vars and vars) only keeps targets and CI schemas from evicting each
 * other's parse. The lake's folders are not in it: the project reads them only while running
 * (runEnv), and the DuckDB file is named relative to the folder dbt runs in (workingDir).
 */
export function parseCacheDirFor(
  environment: TargetEnvironment,
  projectDir: string = DBT_PROJECT_DIR,
): string {
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        target: environment.target,
        env: Object.entries(environment.env).sort(),
        vars: environment.vars,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return join(resolve(projectDir), 'target', 'parse-cache', `${environment.target}-${key}`);
}

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

/**
 * Keeps the run's parse for the next run; a rename, so a reader (another run at the same time)
 * never sees half a file.
 */
export async function keepParseCache(cacheDir: string, targetPath: string): Promise<void> {
  const kept = join(cacheDir, PARTIAL_PARSE_FILE);
  const partial = `${kept}.${process.pid}.tmp`;
  try {
    await mkdir(cacheDir, { recursive: true });
    await copyFile(join(targetPath, PARTIAL_PARSE_FILE), partial);
  } catch (error) {
    if (missing(error) || unwritable(error)) return;
    throw error;
  }
  await rename(partial, kept);
}
