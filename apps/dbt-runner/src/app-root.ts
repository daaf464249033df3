import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/dbt-runner, wherever the repository is checked out. */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The dbt project folder (dbt_project.yml, profiles.yml). */
export const DBT_PROJECT_DIR = join(APP_ROOT, 'dbt');

/** The monorepo root, where the Python venv with dbt lives. */
export const REPO_ROOT = join(APP_ROOT, '..', '..');
