import { dirname, join } from 'node:path';
import type { FinksConfig } from '@finks/config';
import type { Env } from '@finks/lake-paths';
import { REPO_ROOT } from '../app-root';

/**
 * Beside a filesystem lake (`.finks/lake` → `.finks/dbt/local`): the DuckDB file holds gold's
 * state for that lake, so each lake has its own, and runs over different lakes (the bench, the
 * tests, `npm start`) never contend for one file's lock. In AWS only target folders live here.
 */
export function defaultWorkDir(config: FinksConfig, env: Env): string {
  return config.lake.kind === 'filesystem'
    ? join(dirname(config.lake.root), 'dbt', env)
    : join(REPO_ROOT, '.finks', 'dbt', env);
}
