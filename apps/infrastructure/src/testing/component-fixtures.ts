// Arguments shared by the component tests.
import { loadConfig, type RetentionConfig } from '@finks/config';
import { ecrRepositoryName } from '@finks/iam-names';
import { ZONES, bucketName, type Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { finksTags } from '../common/tags';
import { IMAGES } from '../common/workloads';
import type { OrchestrationArgs } from '../orchestration/orchestration';

export const ACCOUNT_ID = '111111111111';
export const REGION = 'ca-central-1';

export const RETENTION: RetentionConfig = {
  bronzeInfrequentAccessDays: 30,
  bronzeGlacierDays: 90,
  quarantineExpirationDays: 14,
  noncurrentVersionExpirationDays: 7,
  logRetentionDays: 14,
} as RetentionConfig;

export function testTags(env: AwsEnv) {
  return finksTags({ env, owner: 'platform', costCenter: 'data-platform' }, 'test');
}

export function lakeBuckets(env: AwsEnv): Record<Zone, string> {
  const buckets = {} as Record<Zone, string>;
  for (const zone of ZONES) buckets[zone] = bucketName({ env, zone, accountId: ACCOUNT_ID });
  return buckets;
}

export const KMS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/test`;

/** The PermissionsBoundary policy as components receive it. */
export const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/finks-test-permissions-boundary`;

/**
 * Orchestration's arguments in `env`: a repository URL for every image, the config's ECS sizes,
 * Prefect Cloud; `overrides` for what a test is about.
 */
export function orchestrationArgs(
  env: AwsEnv,
  overrides: Partial<OrchestrationArgs> = {},
): OrchestrationArgs {
  const repositoryUrls = Object.fromEntries(
    Object.values(IMAGES).map((image) => {
      const name = ecrRepositoryName({ ...image, env });
      return [name, `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/${name}`];
    }),
  );
  return {
    env,
    region: REGION,
    accountId: ACCOUNT_ID,
    ecs: loadConfig({ env }).ecs,
    logRetentionDays: 30,
    vpcId: 'vpc-1',
    privateSubnetIds: ['private-a', 'private-b'],
    workloadSecurityGroupId: 'sg-work',
    loadBalancerSecurityGroupId: 'sg-alb',
    kmsKeyArn: KMS_KEY_ARN,
    permissionsBoundary: BOUNDARY_ARN,
    buckets: lakeBuckets(env),
    repositoryUrls,
    imageTag: 'v1',
    secretArns: {
      fmpApiKey: 'arn:fmp',
      mongodbUri: 'arn:mongo',
      prefectAuth: 'arn:prefect',
      slackWebhook: 'arn:slack',
    },
    glueJobNames: [`finks-${env}-pipelines-cleanse-market-data`],
    athenaWorkgroup: `finks-${env}-infrastructure-analytics`,
    dbtAthenaWorkgroup: `finks-${env}-dbt-runner-dbt`,
    prefect: { mode: 'cloud', apiUrl: 'https://api.prefect.cloud/api/accounts/a1/workspaces/w1' },
    tags: testTags(env),
    ...overrides,
  };
}
