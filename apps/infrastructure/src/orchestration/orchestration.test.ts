import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, REGION, orchestrationArgs } from '../testing/component-fixtures';
import {
  installMocks,
  ofType,
  parsedPolicy,
  settle,
  type MockedResource,
} from '../testing/pulumi-mocks';

const CLOUD_URL = 'https://api.prefect.cloud/api/accounts/a1/workspaces/w1';
const REGISTRY = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com`;
let resources: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { Orchestration } = await import('./orchestration');
  new Orchestration(
    'orch',
    orchestrationArgs('staging', { prefect: { mode: 'cloud', apiUrl: CLOUD_URL } }),
  );
  resources = await settle();
});

const containers = () =>
  ofType(resources, 'aws:ecs/taskDefinition:TaskDefinition').map((task) => {
    const [container] = JSON.parse(String(task.inputs['containerDefinitions'])) as {
      name: string;
      image: string;
      command?: string[];
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
    ).toEqual(['finks-staging-pipelines-worker']);
  });

  it("runs every image's own ENTRYPOINT: no container command to append the flows' flags to", () => {
    for (const container of containers())
      expect(container, container.name).not.toHaveProperty('command');
  });

  it('tags each image <component>-<imageTag> in its repository, as the app deploys push', () => {
    const images = Object.fromEntries(containers().map((c) => [c.name, c.image]));
    expect(images).toEqual({
      fmp: `${REGISTRY}/finks/staging/ingestion/connectors:fmp-v1`,
      mongodb: `${REGISTRY}/finks/staging/ingestion/connectors:mongodb-v1`,
      'news-stream': `${REGISTRY}/finks/staging/ingestion/connectors:news-stream-v1`,
      dbt: `${REGISTRY}/finks/staging/dbt-runner/dbt:dbt-v1`,
      worker: `${REGISTRY}/finks/staging/pipelines/worker:worker-v1`,
    });
  });

  it("gives the worker the flows' environment: env, Prefect API, the tasks' network", () => {
    const worker = containers().find((container) => container.name === 'worker');
    expect(worker?.environment).toEqual([
      { name: 'FINKS_ENV', value: 'staging' },
      { name: 'AWS_REGION', value: REGION },
      { name: 'PREFECT_API_URL', value: CLOUD_URL },
      { name: 'FINKS_ECS_SUBNETS', value: 'private-a,private-b' },
      { name: 'FINKS_ECS_SECURITY_GROUPS', value: 'sg-work' },
    ]);
    expect(worker?.secrets).toContainEqual({
      name: 'FINKS_SLACK_WEBHOOK_URL',
      valueFrom: 'arn:slack',
    });
  });

  it("lets the worker start exactly the connectors' and dbt's families and read their logs", () => {
    const policy = ofType(resources, 'aws:iam/rolePolicy:RolePolicy').find(
      (item) => item.inputs['name'] === 'finks-staging-pipelines-worker-task',
    );
    const statements = parsedPolicy(policy?.inputs['policy']).Statement;
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);
    const families = [
      'ingestion-fmp',
      'ingestion-mongodb',
      'ingestion-news-stream',
      'dbt-runner-dbt',
    ];
    expect(bySid('RunPlatformTasks')?.Resource).toEqual(
      families.map(
        (family) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/finks-staging-${family}:*`,
      ),
    );
    expect(bySid('ReadTaskLogs')?.Resource).toEqual(
      ['ingestion/fmp', 'ingestion/mongodb', 'ingestion/news-stream', 'dbt-runner/dbt'].map(
        (group) => `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/finks/staging/${group}:*`,
      ),
    );
    // transformation-validate-schemas reads back what its Glue job stored, nothing more.
    expect(bySid('ReadDriftReports')).toMatchObject({
      Action: 's3:GetObject',
      Resource: expect.stringMatching(
        /^arn:aws:s3:::finks-staging-artifacts-\d{12}\/drift-reports\/\*$/,
      ),
    });
    expect(bySid('ReadSlackWebhook')?.Resource).toBe('arn:slack');
    // No alert topic was given to this component.
    expect(bySid('PublishAlerts')).toBeUndefined();
  });

  it('points the worker at Prefect Cloud with its API key from Secrets Manager', () => {
    const worker = containers().find((container) => container.name === 'worker');
    expect(worker?.environment).toContainEqual({ name: 'PREFECT_API_URL', value: CLOUD_URL });
    expect(worker?.secrets).toContainEqual({ name: 'PREFECT_API_KEY', valueFrom: 'arn:prefect' });
  });

  it('gives each task only its own secrets', () => {
    const fmp = containers().find((container) => container.name === 'fmp');
    expect(fmp?.secrets).toEqual([{ name: 'FMP_API_KEY', valueFrom: 'arn:fmp' }]);
    expect(containers().find((container) => container.name === 'dbt')?.secrets).toEqual([]);
  });

  it('refuses a self-hosted Prefect without a database', async () => {
    const { Orchestration } = await import('./orchestration');
    expect(
      () =>
        new Orchestration('bad', orchestrationArgs('dev', { prefect: { mode: 'self-hosted' } })),
    ).toThrow(/needs the database/);
  });
});
