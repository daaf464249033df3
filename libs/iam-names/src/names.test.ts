import type { Env, Zone } from '@finks/lake-paths';
import { describe, expect, it } from 'vitest';
import type { App } from './app';
import { athenaWorkgroupName } from './athena';
import { logGroupName } from './cloudwatch-logs';
import { ecrRepositoryName } from './ecr';
import { ecsClusterName, ecsServiceName, ecsTaskFamilyName } from './ecs';
import { glueDatabaseName, glueJobName, glueSnapshotsDatabaseName } from './glue';
import { iamPolicyName, iamRoleName } from './iam';
import { secretName } from './secrets-manager';
import { snsTopicName } from './sns';
import { catchIamNameError } from './testing/catch-iam-name-error';

const glueJob = { app: 'pipelines', env: 'prod', component: 'bronze-to-silver' } as const;

describe('resource names', () => {
  it('follow finks-<env>-<app>-<component> for flat names', () => {
    expect(iamRoleName(glueJob)).toBe('finks-prod-pipelines-bronze-to-silver');
    expect(iamPolicyName(glueJob)).toBe('finks-prod-pipelines-bronze-to-silver');
    expect(glueJobName(glueJob)).toBe('finks-prod-pipelines-bronze-to-silver');
    expect(ecsClusterName({ app: 'ingestion', env: 'dev', component: 'workers' })).toBe(
      'finks-dev-ingestion-workers',
    );
    expect(ecsServiceName({ app: 'ingestion', env: 'dev', component: 'fmp-quotes' })).toBe(
      'finks-dev-ingestion-fmp-quotes',
    );
    expect(ecsTaskFamilyName({ app: 'dbt-runner', env: 'staging', component: 'run' })).toBe(
      'finks-staging-dbt-runner-run',
    );
    expect(athenaWorkgroupName({ app: 'dbt-runner', env: 'prod', component: 'models' })).toBe(
      'finks-prod-dbt-runner-models',
    );
    expect(snsTopicName({ app: 'infrastructure', env: 'prod', component: 'alarms' })).toBe(
      'finks-prod-infrastructure-alarms',
    );
  });

  it('follow paths for hierarchical names', () => {
    expect(ecrRepositoryName({ app: 'ingestion', env: 'dev', component: 'worker' })).toBe(
      'finks/dev/ingestion/worker',
    );
    expect(logGroupName({ app: 'dbt-runner', env: 'staging', component: 'runs' })).toBe(
      '/finks/staging/dbt-runner/runs',
    );
    expect(secretName({ env: 'prod', name: 'fmp-api-key' })).toBe('finks/prod/fmp-api-key');
  });

  it('name Glue databases finks_<env>_<zone>', () => {
    expect(glueDatabaseName({ env: 'prod', zone: 'silver' })).toBe('finks_prod_silver');
    expect(glueDatabaseName({ env: 'local', zone: 'athena-results' })).toBe(
      'finks_local_athena_results',
    );
  });

  it("name dbt's snapshots database after the gold database", () => {
    expect(glueSnapshotsDatabaseName({ env: 'prod' })).toBe('finks_prod_gold_snapshots');
    expect(glueSnapshotsDatabaseName({ env: 'dev' })).toBe(
      `${glueDatabaseName({ env: 'dev', zone: 'gold' })}_snapshots`,
    );
  });

  it('cut long names and end them with a hash of the full name, the same on every run', () => {
    // Pinned: a changed algorithm would rename deployed resources.
    const input = { app: 'infrastructure', env: 'staging', component: 'a'.repeat(200) } as const;
    expect(iamRoleName(input)).toBe(
      'finks-staging-infrastructure-aaaaaaaaaaaaaaaaaaaaaaaaaa_b5fe79df',
    );
    expect(iamRoleName(input)).toHaveLength(64);
    const ecr = ecrRepositoryName({ app: 'ingestion', env: 'dev', component: 'w'.repeat(600) });
    expect(ecr).toBe(`finks/dev/ingestion/${'w'.repeat(227)}_3c31dd8f`);
  });
});

describe('bad inputs', () => {
  it('name an unknown app or env', () => {
    const app = catchIamNameError(() => iamRoleName({ ...glueJob, app: 'web' as App }));
    expect(app).toMatchObject({ code: 'invalid_app', part: 'app', value: 'web' });
    expect(app.message).toBe(
      'app "web" is not a Finks app (expected one of infrastructure, pipelines, dbt-runner, ingestion)',
    );
    const env = catchIamNameError(() => logGroupName({ ...glueJob, env: 'qa' as Env }));
    expect(env.message).toBe(
      'env "qa" is not an environment (expected one of local, dev, staging, prod)',
    );
    const zone = catchIamNameError(() =>
      glueDatabaseName({ env: 'prod', zone: 'platinum' as Zone }),
    );
    expect(zone).toMatchObject({ code: 'invalid_zone', part: 'zone', value: 'platinum' });
    const snapshots = catchIamNameError(() => glueSnapshotsDatabaseName({ env: 'qa' as Env }));
    expect(snapshots).toMatchObject({ code: 'invalid_env', part: 'env', value: 'qa' });
  });

  it('names an empty component', () => {
    expect(catchIamNameError(() => ecsServiceName({ ...glueJob, component: '' })).message).toBe(
      'component "" is empty (expected kebab-case, e.g. bronze-to-silver)',
    );
  });

  it.each(['Bronze', 'eod_prices', 'a--b', '-a', 'a-', 'a b', 'a/b', 'a.b', 'é'])(
    'names the disallowed component %j',
    (component) => {
      const error = catchIamNameError(() => snsTopicName({ ...glueJob, component }));
      expect(error).toMatchObject({
        code: 'invalid_component',
        part: 'component',
        value: component,
      });
      expect(error.message).toContain('is not kebab-case');
    },
  );

  it('refuses a secret name that looks like an ARN suffix', () => {
    const error = catchIamNameError(() => secretName({ env: 'prod', name: 'mongodb-passwd' }));
    expect(error).toMatchObject({
      code: 'invalid_component',
      part: 'name',
      value: 'mongodb-passwd',
    });
    expect(error.message).toContain('confuses with the random suffix of its ARNs');
  });
});
