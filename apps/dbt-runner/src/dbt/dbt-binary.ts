import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../app-root';
import { DbtRunnerError } from '../errors/dbt-runner-error';

/**
 * The dbt executable: `DBT_BIN` when set (the container sets it to its venv), else the
 * monorepo's `.venv/bin/dbt`, where dbt-core, dbt-duckdb and dbt-athena are installed.
 */
export function resolveDbtBinary(
  env: NodeJS.ProcessEnv = process.env,
  repoRoot = REPO_ROOT,
): string {
  const fromEnv = env['DBT_BIN'];
  const candidate = fromEnv && fromEnv.length > 0 ? fromEnv : join(repoRoot, '.venv', 'bin', 'dbt');
  if (!existsSync(candidate)) {
    throw new DbtRunnerError(
      'dbt_not_found',
      `dbt not found at ${candidate}: set DBT_BIN or create the venv (tools/dev-env) with dbt-core, dbt-duckdb and dbt-athena`,
      { path: candidate },
    );
  }
  return candidate;
}
