import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, KMS_KEY_ARN, REGION, testTags } from '../testing/component-fixtures';
import {
  clearRecorded,
  installMocks,
  ofType,
  parsedPolicy,
  settle,
  type MockedResource,
} from '../testing/pulumi-mocks';

const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/finks-prod-infrastructure-platform`;
let resources: readonly MockedResource[] = [];
let withoutTopic: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { Monitoring } = await import('./monitoring');
  const args = {
    env: 'prod' as const,
    region: REGION,
    accountId: ACCOUNT_ID,
    alertTopic: true,
    emails: ['oncall@finks.ai', 'data@finks.ai'],
    kmsKeyArn: KMS_KEY_ARN,
    clusterName: 'finks-prod-infrastructure-platform',
    clusterArn: CLUSTER_ARN,
    serviceNames: ['finks-prod-pipelines-worker'],
    glueJobNames: ['finks-prod-pipelines-validate-schemas'],
    lambdaFunctionNames: ['finks-prod-infrastructure-api-summary'],
    apiId: 'api-1',
    tags: testTags('prod'),
  };
  new Monitoring('monitoring', args);
  resources = await settle();
  clearRecorded();
  new Monitoring('quiet', { ...args, alertTopic: false, emails: [] });
  withoutTopic = await settle();
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

  it('alarms on every signal to the topic and shows each on the dashboard', () => {
    const alarms = ofType(resources, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarms.map((alarm) => String(alarm.inputs['name'])).sort()).toEqual(
      [
        'finks-prod-flow-runs-failed',
        'finks-prod-ingestion-records-quarantined',
        'finks-prod-ingestion-batches-failed',
        'finks-prod-ecs-pipelines-worker-not-running',
        'finks-prod-glue-pipelines-validate-schemas-failed',
        'finks-prod-glue-pipelines-validate-schemas-duration',
        'finks-prod-lambda-0-errors',
        'finks-prod-lambda-0-latency',
        'finks-prod-api-5xx',
      ].sort(),
    );
    const topicArn = ofType(resources, 'aws:sns/topic:Topic')[0]?.state['arn'];
    for (const alarm of alarms) expect(alarm.inputs['alarmActions']).toEqual([topicArn]);
    const [dashboard] = ofType(resources, 'aws:cloudwatch/dashboard:Dashboard');
    const body = JSON.parse(String(dashboard?.inputs['dashboardBody'])) as {
      widgets: { properties: { metrics: string[][] } }[];
    };
    // One widget per alarm, and one for the failed-task rule.
    expect(body.widgets).toHaveLength(alarms.length + 1);
    expect(body.widgets.map((widget) => widget.properties.metrics[0])).toContainEqual([
      'AWS/ApiGateway',
      '5xx',
      'ApiId',
      'api-1',
    ]);
    expect(body.widgets.at(-1)?.properties.metrics).toEqual([
      ['AWS/Events', 'MatchedEvents', 'RuleName', 'finks-prod-ecs-task-failed'],
    ]);
  });

  it('sends failed one-off ECS tasks of the cluster to the topic through EventBridge', () => {
    const [rule] = ofType(resources, 'aws:cloudwatch/eventRule:EventRule');
    expect(rule?.inputs['name']).toBe('finks-prod-ecs-task-failed');
    expect(JSON.parse(String(rule?.inputs['eventPattern']))).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: [CLUSTER_ARN],
        lastStatus: ['STOPPED'],
        group: [{ prefix: 'family:' }],
        $or: [
          { containers: { exitCode: [{ 'anything-but': 0 }] } },
          { stopCode: ['TaskFailedToStart'] },
        ],
      },
    });
    const [target] = ofType(resources, 'aws:cloudwatch/eventTarget:EventTarget');
    const topic = ofType(resources, 'aws:sns/topic:Topic')[0];
    expect(target?.inputs['arn']).toBe(topic?.state['arn']);
    expect(target?.inputs['rule']).toBe('finks-prod-ecs-task-failed');
    expect(JSON.stringify(target?.inputs['inputTransformer'])).toContain('$.detail.stoppedReason');
  });

  it('lets EventBridge (for this rule only) and the alarms publish to the topic', () => {
    const [policy] = ofType(resources, 'aws:sns/topicPolicy:TopicPolicy');
    const topicArn = ofType(resources, 'aws:sns/topic:Topic')[0]?.state['arn'];
    const ruleArn = ofType(resources, 'aws:cloudwatch/eventRule:EventRule')[0]?.state['arn'];
    expect(policy?.inputs['arn']).toBe(topicArn);
    const statements = parsedPolicy(policy?.inputs['policy']).Statement;
    expect(statements).toContainEqual({
      Sid: 'FailedTaskEventsPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          ArnLike: {
            'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:finks-prod-*`,
          },
        },
      }),
    );
  });

  it('declares no topic, subscription, rule or alarm action when alerts.snsTopic is false', () => {
    for (const type of [
      'aws:sns/topic:Topic',
      'aws:sns/topicSubscription:TopicSubscription',
      'aws:sns/topicPolicy:TopicPolicy',
      'aws:cloudwatch/eventRule:EventRule',
      'aws:cloudwatch/eventTarget:EventTarget',
    ]) {
      expect(ofType(withoutTopic, type), type).toEqual([]);
    }
    const alarms = ofType(withoutTopic, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) {
      expect(alarm.inputs).not.toHaveProperty('alarmActions');
      expect(alarm.inputs).not.toHaveProperty('okActions');
    }
    expect(ofType(withoutTopic, 'aws:cloudwatch/dashboard:Dashboard')).toHaveLength(1);
  });

  it('refuses alert e-mails without a topic to send them to', async () => {
    const { Monitoring } = await import('./monitoring');
    expect(
      () =>
        new Monitoring('bad', {
          env: 'dev',
          region: REGION,
          accountId: ACCOUNT_ID,
          alertTopic: false,
          emails: ['a@finks.ai'],
          kmsKeyArn: KMS_KEY_ARN,
          clusterName: 'c',
          clusterArn: CLUSTER_ARN,
          serviceNames: [],
          glueJobNames: [],
          lambdaFunctionNames: [],
          apiId: undefined,
          tags: testTags('dev'),
        }),
    ).toThrow(/alerts\.snsTopic: true in config\/dev\.yaml/);
  });
});
