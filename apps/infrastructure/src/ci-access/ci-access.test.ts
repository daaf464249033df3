import { beforeAll, describe, expect, it } from 'vitest';
import { APPS, glueSnapshotsDatabaseName } from '@finks/iam-names';
import {
  ACCOUNT_ID,
  BOUNDARY_ARN,
  KMS_KEY_ARN,
  REGION,
  lakeBuckets,
  testTags,
} from '../testing/component-fixtures';
import {
  installMocks,
  ofType,
  parsedPolicy,
  settle,
  type MockedResource,
} from '../testing/pulumi-mocks';

let resources: readonly MockedResource[] = [];
const REPOSITORY = 'acme/data-platform';
const roles = () => ofType(resources, 'aws:iam/role:Role');
const role = (name: string) => {
  const found = roles().find((item) => item.inputs['name'] === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
};
const policyOf = (roleName: string) => {
  const found = ofType(resources, 'aws:iam/rolePolicy:RolePolicy').find(
    (item) => item.inputs['role'] === `${role(roleName).name}-id`,
  );
  return parsedPolicy(found?.inputs['policy']).Statement;
};

beforeAll(async () => {
  await installMocks();
  const { CiAccess } = await import('./ci-access');
  new CiAccess('ci', {
    env: 'staging',
    region: REGION,
    accountId: ACCOUNT_ID,
    githubRepository: REPOSITORY,
    buckets: lakeBuckets('staging'),
    accessLogBucket: `finks-staging-access-logs-${ACCOUNT_ID}`,
    kmsKeyArn: KMS_KEY_ARN,
    permissionsBoundary: BOUNDARY_ARN,
    tags: testTags('staging'),
  });
  resources = await settle();
});

describe('CiAccess', () => {
  it('declares a deploy and a preview role per app, each under the permissions boundary', () => {
    expect(roles().map((item) => item.inputs['name'])).toEqual(
      APPS.flatMap((app) => [`finks-staging-${app}-deploy`, `finks-staging-${app}-preview`]),
    );
    for (const item of roles()) {
      expect(item.inputs['permissionsBoundary'], item.name).toBe(BOUNDARY_ARN);
    }
  });

  it('trusts preview roles only for pull requests of the configured repository', () => {
    for (const app of APPS) {
      const statements = parsedPolicy(
        role(`finks-staging-${app}-preview`).inputs['assumeRolePolicy'],
      ).Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatchObject({
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: expect.stringContaining('oidc') as unknown },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': `repo:${REPOSITORY}:pull_request`,
          },
        },
      });
    }
  });

  it('trusts deploy roles only for the GitHub environment of the stack', () => {
    const [statement] = parsedPolicy(
      role('finks-staging-ingestion-deploy').inputs['assumeRolePolicy'],
    ).Statement;
    expect(statement?.Condition?.['StringEquals']).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': `repo:${REPOSITORY}:environment:staging`,
    });
  });

  it('lets preview roles read only, except dbt slim CI inside its pull-request schema', () => {
    // kms:Decrypt reads what the lake key encrypted (scripts, image layers).
    const reading =
      /^[a-z0-9-]+:(Describe|Get|List|BatchGet|BatchCheck)[A-Za-z*]*$|^apigateway:GET$|^kms:Decrypt$/;
    for (const app of APPS) {
      for (const statement of policyOf(`finks-staging-${app}-preview`)) {
        expect(statement.Effect).toBe('Allow');
        const actions = [statement.Action].flat();
        for (const action of actions) {
          expect(action, `${app} ${statement.Sid}`).not.toMatch(/:\*$/);
          expect(action).not.toBe('secretsmanager:GetSecretValue');
          if (reading.test(action)) continue;
          // The writes left: Athena query runs and dbt's own schema, nothing deployed.
          expect(app, `${statement.Sid} ${action}`).toBe('dbt-runner');
          const resources = [statement.Resource].flat().map(String);
          if (action.startsWith('athena:')) {
            expect(resources).toEqual([
              `arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/finks-staging-dbt-runner-dbt`,
            ]);
          } else if (action.startsWith('glue:')) {
            for (const resource of resources.filter((item) => !item.endsWith(':catalog'))) {
              expect(resource).toMatch(/\/(ci|finks_staging_gold)_pr_\*(\/\*)?$/);
            }
          } else if (action.startsWith('s3:')) {
            for (const resource of resources) {
              expect(resource).toMatch(
                /(\/dbt\/(ci|finks_staging_gold)_pr_\*|athena-results-\d+\/dbt\/\*)$/,
              );
            }
          } else {
            expect(action).toBe('kms:GenerateDataKey');
          }
        }
      }
    }
  });

  it("lets slim CI expire its views' Glue versions and build snapshots in its own schemas", () => {
    const statements = policyOf('finks-staging-dbt-runner-preview');
    const glue = (resource: string) => `arn:aws:glue:${REGION}:${ACCOUNT_ID}:${resource}`;
    const granting = (action: string) =>
      statements
        .filter((statement) => [statement.Action].flat().includes(action))
        .flatMap((statement) => [statement.Resource].flat().map(String));
    for (const action of ['glue:GetTableVersions', 'glue:DeleteTableVersion']) {
      expect(granting(action), action).toEqual(
        expect.arrayContaining([glue('table/ci_pr_*/*'), glue('table/finks_staging_gold_pr_*/*')]),
      );
    }
    // dbt puts the PR's snapshot in <PR schema>_snapshots, which the PR prefixes cover.
    expect(granting('glue:CreateDatabase')).toContain(glue('database/ci_pr_*'));
    // --defer reads an unchanged snapshot from the environment's own snapshots database.
    const snapshots = glueSnapshotsDatabaseName({ env: 'staging' });
    expect(granting('glue:GetTable')).toEqual(
      expect.arrayContaining([glue(`database/${snapshots}`), glue(`table/${snapshots}/*`)]),
    );
    expect(granting('glue:DeleteTableVersion').join(' ')).not.toContain(snapshots);
  });

  it('keeps the infrastructure preview away from lake data, logs and secret values', () => {
    const actions = policyOf('finks-staging-infrastructure-preview').flatMap((statement) =>
      [statement.Action].flat(),
    );
    for (const forbidden of [
      'logs:GetLogEvents',
      'athena:GetQueryResults',
      'secretsmanager:GetSecretValue',
      'kms:Decrypt',
    ]) {
      expect(actions).not.toContain(forbidden);
    }
    const objectReads = policyOf('finks-staging-infrastructure-preview').filter((statement) =>
      [statement.Action].flat().includes('s3:GetObject'),
    );
    expect(objectReads.map((statement) => statement.Resource)).toEqual([
      `arn:aws:s3:::finks-staging-artifacts-${ACCOUNT_ID}/glue-scripts/*`,
    ]);
  });
});
