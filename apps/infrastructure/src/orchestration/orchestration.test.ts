import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@finks/config';
import { IMAGES } from '../common/workloads';
import {
  ACCOUNT_ID,
  BOUNDARY_ARN,
  KMS_KEY_ARN,
  REGION,
  lakeBuckets,
  testTags,
} from '../testing/component-fixtures';
import { installMocks, ofType, settle, type MockedResource } from '../testing/pulumi-mocks';

const CLOUD_URL = 'https://api.prefect.cloud/api/accounts/a1/workspaces/w1';
let resources: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { ecrRepositoryName } = await import('@finks/iam-names');
  const { Orchestration } = await import('./orchestration');
  const repositoryUrls = Object.fromEntries(
    Object.values(IMAGES).map((image) => {
      const name = ecrRepositoryName({ ...image, env: 'staging' });
      return [name, `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/${name}`];
    }),
  );
  new Orchestration('orch', {
    env: 'staging',
    region: REGION,
    accountId: ACCOUNT_ID,
    ecs: loadConfig({ env: 'staging' }).ecs,
    logRetentionDays: 30,
    vpcId: 'vpc-1',
    privateSubnetIds: ['private-a', 'private-b'],
    workloadSecurityGroupId: 'sg-work',
    loadBalancerSecurityGroupId: 'sg-alb',
    kmsKeyArn: KMS_KEY_ARN,
    permissionsBoundary: BOUNDARY_ARN,
    buckets: lakeBuckets('staging'),
    repositoryUrls,
    imageTag: 'v1',
    secretArns: {
      fmpApiKey: 'arn:fmp',
      mongodbUri: 'arn:mongo',
      prefectAuth: 'arn:prefect',
      slackWebhook: 'arn:slack',
    },
    glueJobNames: ['finks-staging-pipelines-cleanse-market-data'],
    athenaWorkgroup: 'finks-staging-infrastructure-analytics',
    prefect: { mode: 'cloud', apiUrl: CLOUD_URL },
    tags: testTags('staging'),
  });
  resources = await settle();
});

const containers = () =>
  ofType(resources, 'aws:ecs/taskDefinition:TaskDefinition').map((task) => {
    const [container] = JSON.parse(String(task.inputs['containerDefinitions'])) as {
      name: string;
      image: string;
      environment: { name: string; value: string }[];
      secrets: { name: string; valueFrom: string }[];
    }[];
    if (!container) throw new Error('no container');
    return container;
  });

describe('Orchestration with Prefect Cloud', () => {
  it('runs no Prefect server and no load balancer', () => {
    expect(ofType(resources, 'aws:lb/loadBalancer:LoadBalancer')).toEqual([]);
    expect(
      containers()
        .map((container) => container.name)
        .sort(),
    ).toEqual(['dbt', 'fmp', 'mongodb', 'news-stream', 'worker']);
    expect(
      ofType(resources, 'aws:ecs/service:Service').map((service) => service.inputs['name']),
    ).toEqual(['finks-staging-ingestion-worker']);
  });

  it('points the worker at Prefect Cloud with its API key from Secrets Manager', () => {
    const worker = containers().find((container) => container.name === 'worker');
    expect(worker?.environment).toContainEqual({ name: 'PREFECT_API_URL', value: CLOUD_URL });
    expect(worker?.secrets).toContainEqual({ name: 'PREFECT_API_KEY', valueFrom: 'arn:prefect' });
  });

  it('gives each task only its own secrets and the pinned image tag', () => {
    const fmp = containers().find((container) => container.name === 'fmp');
    expect(fmp?.secrets).toEqual([{ name: 'FMP_API_KEY', valueFrom: 'arn:fmp' }]);
    expect(fmp?.image).toBe(
      `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/finks/staging/ingestion/connectors:v1`,
    );
    expect(containers().find((container) => container.name === 'dbt')?.secrets).toEqual([]);
  });

  it('refuses a self-hosted Prefect without a database', async () => {
    const { Orchestration } = await import('./orchestration');
    expect(
      () =>
        new Orchestration('bad', {
          env: 'dev',
          region: REGION,
          accountId: ACCOUNT_ID,
          ecs: loadConfig({ env: 'dev' }).ecs,
          logRetentionDays: 14,
          vpcId: 'v',
          privateSubnetIds: [],
          workloadSecurityGroupId: 's',
          loadBalancerSecurityGroupId: 's',
          kmsKeyArn: KMS_KEY_ARN,
          permissionsBoundary: BOUNDARY_ARN,
          buckets: lakeBuckets('dev'),
          repositoryUrls: {},
          imageTag: 'v1',
          secretArns: { fmpApiKey: 'a', mongodbUri: 'b', prefectAuth: 'c', slackWebhook: 'd' },
          glueJobNames: [],
          athenaWorkgroup: 'w',
          prefect: { mode: 'self-hosted' },
          tags: testTags('dev'),
        }),
    ).toThrow(/needs the database/);
  });
});
