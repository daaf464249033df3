import { DbtRunnerError } from '../errors/dbt-runner-error';

/**
 * A pull request's schema (a Glue database on Athena): lowercase letters, digits and
 * underscores with a `_pr_` part, e.g. `ci_pr_12` (the workflows) or `main_pr_12` (`--pr 12`).
 * Dropping is only ever allowed on names of this shape, so a typo or an unset variable can
 * never reach a shared schema such as `main` or a gold database. macros/drop_ci_schema.sql
 * checks the same pattern again inside dbt.
 */
export const CI_SCHEMA_PATTERN = /^[a-z][a-z0-9_]*_pr_[a-z0-9][a-z0-9_]*$/;

/** Glue database names are at most 255 characters; keep CI names well short of that. */
const MAX_CI_SCHEMA_LENGTH = 64;

export function assertCiSchema(name: string): string {
  if (name.length > MAX_CI_SCHEMA_LENGTH || !CI_SCHEMA_PATTERN.test(name)) {
    throw new DbtRunnerError(
      'invalid_option',
      `refusing CI schema ${JSON.stringify(name)}: a pull-request schema is lowercase ` +
        `[a-z0-9_], contains "_pr_" and has at most ${MAX_CI_SCHEMA_LENGTH} characters ` +
        '(e.g. ci_pr_12); set DBT_CI_SCHEMA or --schema to one',
      { schema: name },
    );
  }
  return name;
}

/** The schema `--pr <id>` builds into: `<baseSchema>_pr_<id>`, validated. */
export function pullRequestSchema(baseSchema: string, pullRequest: string | number): string {
  const id = String(pullRequest)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return assertCiSchema(`${baseSchema}_pr_${id}`);
}
