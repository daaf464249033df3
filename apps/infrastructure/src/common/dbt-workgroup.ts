import { athenaWorkgroupName } from '@finks/iam-names';
import type { AwsEnv } from './aws-env';

/**
 * The Athena workgroup dbt-runner queries through. apps/dbt-runner/src/dbt/target-environment.ts
 * (`dbtAthenaWorkgroup`) derives its FINKS_ATHENA_WORKGROUP from the same inputs, so the
 * workgroup Transformation creates and the one dbt names cannot drift apart.
 */
export function dbtAthenaWorkgroupName(env: AwsEnv): string {
  return athenaWorkgroupName({ app: 'dbt-runner', env, component: 'dbt' });
}
