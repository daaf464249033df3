import { describe, expect, it } from 'vitest';
import { APPS } from '@finks/iam-names';
import { isStarOnStar } from '../../policies/finks-policies';
import type { Statement } from '../common/policy-document';
import { ACCOUNT_ID, KMS_KEY_ARN, REGION, lakeBuckets } from '../testing/component-fixtures';
import { BOUNDED_ROLE_ACTIONS, PLATFORM_SERVICES, boundaryStatements } from './boundary-statements';
import { permissionsBoundaryArn, type DeployContext } from './deploy-context';
import { deployStatements } from './deploy-permissions';
import { deploySubject } from './github-oidc';

const context: DeployContext = {
  env: 'prod',
  region: REGION,
  accountId: ACCOUNT_ID,
  buckets: lakeBuckets('prod'),
  accessLogBucket: `finks-prod-access-logs-${ACCOUNT_ID}`,
  kmsKeyArn: KMS_KEY_ARN,
};
const BOUNDARY = `arn:aws:iam::${ACCOUNT_ID}:policy/finks-prod-infrastructure-permissions-boundary`;

const asList = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
const actionsOf = (statement: Statement) => asList(statement.Action);
const resourcesOf = (statement: Statement) => asList(statement.Resource);
const bySid = (statements: Statement[], sid: string) => {
  const found = statements.find((statement) => statement.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

describe('deploySubject', () => {
  it('limits the trust to this repository and the GitHub environment of the stack', () => {
    expect(deploySubject('acme/platform', 'prod')).toBe('repo:acme/platform:environment:prod');
  });
});

describe('deployStatements', () => {
  it('never grants "*" on "*" to any app', () => {
    for (const app of APPS) {
      expect(deployStatements(app, context).filter(isStarOnStar), app).toEqual([]);
    }
  });

  it('lets app deploys push only to their own ECR namespace and pass only their own roles', () => {
    const ingestion = deployStatements('ingestion', context);
    expect(bySid(ingestion, 'PushOwnImages').Resource).toBe(
      `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/finks/prod/ingestion/*`,
    );
    expect(bySid(ingestion, 'PassOwnTaskRoles').Resource).toBe(
      `arn:aws:iam::${ACCOUNT_ID}:role/finks-prod-ingestion-*`,
    );
  });

  it('lets the pipelines deploy write only the Glue scripts prefix', () => {
    const [upload] = deployStatements('pipelines', context);
    expect(upload?.Resource).toBe(`arn:aws:s3:::finks-prod-artifacts-${ACCOUNT_ID}/glue-scripts/*`);
  });

  it('lets the pipelines deploy push its worker image and roll its own worker service', () => {
    const pipelines = deployStatements('pipelines', context);
    expect(bySid(pipelines, 'PushOwnImages').Resource).toBe(
      `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/finks/prod/pipelines/*`,
    );
    expect(bySid(pipelines, 'RollOwnServices').Resource).toBe(
      `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/*/finks-prod-pipelines-*`,
    );
  });

  it('adds the Pulumi state bucket to the infrastructure deploy only when given', () => {
    const sids = (statements: Statement[]) => statements.map((statement) => statement.Sid);
    expect(sids(deployStatements('infrastructure', context))).not.toContain('PulumiState');
    expect(
      sids(deployStatements('infrastructure', { ...context, stateBucket: 'finks-pulumi-state' })),
    ).toContain('PulumiState');
  });
});

describe('the infrastructure deploy policy', () => {
  const statements = deployStatements('infrastructure', context);
  const allows = statements.filter((statement) => statement.Effect === 'Allow');

  it('names its own boundary as the one roles must carry', () => {
    expect(permissionsBoundaryArn(context)).toBe(BOUNDARY);
  });

  it('uses only the services the program manages, plus IAM', () => {
    const services = new Set(allows.flatMap(actionsOf).map((action) => action.split(':')[0]));
    expect([...services].sort()).toEqual([...PLATFORM_SERVICES, 'iam'].sort());
  });

  it('never pairs a whole-service or wildcard action with the "*" resource', () => {
    for (const statement of allows.filter((item) => resourcesOf(item).includes('*'))) {
      for (const action of actionsOf(statement)) {
        // Describe*/List* reads, and verb groups held to the region by a condition, are the
        // only wildcards allowed on "*"; never a whole service.
        expect(action, statement.Sid).not.toMatch(/^[a-z0-9-]+:\*$/);
        if (action.includes('*') && !/:(Describe|List)\*$/.test(action)) {
          expect(statement.Condition, `${statement.Sid} ${action}`).toEqual({
            StringEquals: { 'aws:RequestedRegion': REGION },
          });
        }
      }
    }
  });

  it('scopes whole-service grants to the environment names', () => {
    // Load balancer ARNs carry generated names; the catalog and RDS's default groups are shared.
    const unnamed = [
      `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT_ID}:*`,
      `arn:aws:glue:${REGION}:${ACCOUNT_ID}:catalog`,
      `arn:aws:rds:${REGION}:${ACCOUNT_ID}:pg:default.*`,
      `arn:aws:rds:${REGION}:${ACCOUNT_ID}:og:default:*`,
    ];
    for (const statement of allows.filter((item) =>
      actionsOf(item).some((a) => a.endsWith(':*')),
    )) {
      for (const resource of resourcesOf(statement)) {
        if (unnamed.includes(resource)) continue;
        expect(resource, statement.Sid).toMatch(/(finks-prod-|finks_prod_|finks\/prod\/)/);
        expect(resource, statement.Sid).toContain(ACCOUNT_ID);
      }
    }
    expect(bySid(statements, 'LakeBuckets').Resource).toEqual(
      [...Object.values(context.buckets), context.accessLogBucket].map((b) => `arn:aws:s3:::${b}`),
    );
  });

  it('limits IAM to the project roles and conditions every grant of permissions on the boundary', () => {
    const iamStatements = allows.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('iam:')),
    );
    for (const statement of iamStatements) {
      expect(actionsOf(statement), statement.Sid).not.toContain('iam:*');
      for (const resource of resourcesOf(statement)) {
        expect(resource, statement.Sid).toMatch(
          new RegExp(
            `^arn:aws:iam::${ACCOUNT_ID}:(role/finks-prod-\\*|role/aws-service-role/\\*|policy/finks-prod-infrastructure-permissions-boundary|oidc-provider/token\\.actions\\.githubusercontent\\.com)$`,
          ),
        );
      }
    }
    const granting = [...BOUNDED_ROLE_ACTIONS, 'iam:PassRole', 'iam:CreateServiceLinkedRole'];
    for (const statement of iamStatements.filter((item) =>
      actionsOf(item).some((action) => granting.includes(action)),
    )) {
      expect(statement.Condition, statement.Sid).toBeDefined();
    }
    expect(bySid(statements, 'BoundedProjectRoles').Condition).toEqual({
      StringEquals: { 'iam:PermissionsBoundary': BOUNDARY },
    });
    const actions = allows.flatMap(actionsOf);
    for (const forbidden of [
      'iam:CreatePolicy',
      'iam:CreatePolicyVersion',
      'iam:DeleteRolePermissionsBoundary',
      'iam:CreateUser',
      'iam:CreateAccessKey',
      'secretsmanager:GetSecretValue',
    ]) {
      expect(actions).not.toContain(forbidden);
    }
  });

  it('lets only the dev deploy empty buckets on destroy', () => {
    const sids = (env: 'dev' | 'prod') =>
      deployStatements('infrastructure', { ...context, env, buckets: lakeBuckets(env) }).map(
        (statement) => statement.Sid,
      );
    expect(sids('dev')).toContain('EmptyDevBucketsOnDestroy');
    expect(sids('prod')).not.toContain('EmptyDevBucketsOnDestroy');
  });
});

describe('the permissions boundary', () => {
  const statements = boundaryStatements(context);

  it('allows no "*" action and IAM only on the project names', () => {
    expect(statements.filter(isStarOnStar)).toEqual([]);
    expect(bySid(statements, 'ProjectIam').Resource).toEqual([
      `arn:aws:iam::${ACCOUNT_ID}:role/finks-prod-*`,
      `arn:aws:iam::${ACCOUNT_ID}:policy/finks-prod-*`,
      `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
    ]);
  });

  it('cannot be escaped: no unbounded role, no edit or removal of the boundary', () => {
    expect(bySid(statements, 'NoRolesWithoutThisBoundary')).toMatchObject({
      Effect: 'Deny',
      Action: [...BOUNDED_ROLE_ACTIONS],
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
    });
    expect(bySid(statements, 'NoBoundaryEdits')).toMatchObject({
      Effect: 'Deny',
      Resource: BOUNDARY,
    });
    expect(actionsOf(bySid(statements, 'NoBoundaryEdits'))).toEqual(
      expect.arrayContaining(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion']),
    );
    expect(bySid(statements, 'NoBoundaryRemoval')).toMatchObject({
      Effect: 'Deny',
      Action: 'iam:DeleteRolePermissionsBoundary',
    });
    expect(bySid(statements, 'OnlyTheStackRegion').Condition).toEqual({
      StringNotEquals: { 'aws:RequestedRegion': REGION },
    });
  });

  it('covers everything the deploy policy allows (a bounded deploy can still deploy)', () => {
    const ceiling = new Set(actionsOf(bySid(statements, 'PlatformServices')));
    for (const action of deployStatements('infrastructure', context)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(actionsOf)) {
      const service = action.split(':')[0] ?? '';
      if (service === 'iam') continue;
      expect(ceiling, action).toContain(`${service}:*`);
    }
  });
});
