import type { Env, Zone } from '@finks/lake-paths';
import { assertEnv, assertZone } from './inputs';
import { fitName, type NameRule } from './name-rule';
import { flatName, type ResourceNameInput } from './resource-name-input';

// Glue allows any single-line string for a job:
// https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html
const GLUE_JOB: NameRule = {
  resource: 'Glue job',
  maxLength: 255,
  pattern: /^[\u0020-\uD7FF\uE000-\uFFFD\t]+$/,
  described: 'a single line of text',
};

// Glue stores database names in lowercase, and Athena only reads names of lowercase letters,
// digits and _: https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
const GLUE_DATABASE: NameRule = {
  resource: 'Glue database',
  maxLength: 255,
  pattern: /^[a-z0-9_]+$/,
  described: 'lowercase letters, digits and _',
};

export interface GlueDatabaseInput {
  readonly env: Env;
  readonly zone: Zone;
}

/** `finks-<env>-<app>-<component>`, at most 255 characters. */
export function glueJobName(input: ResourceNameInput): string {
  return fitName(GLUE_JOB, flatName(input));
}

/** `finks_<env>_<zone>`, with the zone's `-` as `_` (`finks_prod_athena_results`). */
export function glueDatabaseName(input: GlueDatabaseInput): string {
  const env = assertEnv(input.env);
  const zone = assertZone(input.zone).replaceAll('-', '_');
  return fitName(GLUE_DATABASE, `finks_${env}_${zone}`);
}

// The custom schema of dbt-runner's snapshots (`schema: snapshots` in
// apps/dbt-runner/dbt/snapshots/); dbt-runner's tests check that the two agree.
const DBT_SNAPSHOTS_SCHEMA = 'snapshots';

/**
 * `finks_<env>_gold_snapshots`: the Glue database dbt builds its snapshots in. dbt's default
 * generate_schema_name puts a node with a custom schema in `<target schema>_<custom schema>`,
 * and on Athena the target schema is the gold database.
 */
export function glueSnapshotsDatabaseName(input: Pick<GlueDatabaseInput, 'env'>): string {
  const gold = glueDatabaseName({ env: input.env, zone: 'gold' });
  return fitName(GLUE_DATABASE, `${gold}_${DBT_SNAPSHOTS_SCHEMA}`);
}
