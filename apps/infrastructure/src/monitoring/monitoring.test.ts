import { beforeAll, describe, expect, it } from 'vitest';
import { KMS_KEY_ARN, REGION, testTags } from '../testing/component-fixtures';
import { installMocks, ofType, settle, type MockedResource } from '../testing/pulumi-mocks';

let resources: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { Monitoring } = await import('./monitoring');
  new Monitoring('monitoring', {
    env: 'prod',
    region: REGION,
    emails: ['oncall@finks.ai', 'data@finks.ai'],
    kmsKeyArn: KMS_KEY_ARN,
    clusterName: 'finks-prod-infrastructure-platform',
    serviceNames: ['finks-prod-ingestion-worker'],
    glueJobNames: ['finks-prod-pipelines-validate-schemas'],
    lambdaFunctionNames: ['finks-prod-infrastructure-api-summary'],
    apiId: 'api-1',
    tags: testTags('prod'),
  });
  resources = await settle();
});

describe('Monitoring', () => {
  it('subscribes every alert e-mail to an encrypted topic', () => {
    expect(ofType(resources, 'aws:sns/topic:Topic')[0]?.inputs).toMatchObject({
      name: 'finks-prod-infrastructure-alerts',
      kmsMasterKeyId: KMS_KEY_ARN,
    });
    expect(
      ofType(resources, 'aws:sns/topicSubscription:TopicSubscription').map(
        (sub) => sub.inputs['endpoint'],
      ),
    ).toEqual(['oncall@finks.ai', 'data@finks.ai']);
  });

  it('alarms on every signal and shows each on the dashboard', () => {
    const alarms = ofType(resources, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarms.map((alarm) => String(alarm.inputs['name'])).sort()).toEqual(
      [
        'finks-prod-flow-runs-failed',
        'finks-prod-ingestion-records-quarantined',
        'finks-prod-ingestion-batches-failed',
        'finks-prod-ecs-ingestion-worker-not-running',
        'finks-prod-glue-pipelines-validate-schemas-failed',
        'finks-prod-glue-pipelines-validate-schemas-duration',
        'finks-prod-lambda-0-errors',
        'finks-prod-lambda-0-latency',
        'finks-prod-api-5xx',
      ].sort(),
    );
    const [dashboard] = ofType(resources, 'aws:cloudwatch/dashboard:Dashboard');
    const body = JSON.parse(String(dashboard?.inputs['dashboardBody'])) as {
      widgets: { properties: { metrics: string[][] } }[];
    };
    expect(body.widgets).toHaveLength(alarms.length);
    expect(body.widgets.at(-1)?.properties.metrics).toEqual([
      ['AWS/ApiGateway', '5xx', 'ApiId', 'api-1'],
    ]);
  });
});
