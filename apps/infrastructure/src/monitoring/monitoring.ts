import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { snsTopicName } from '@finks/iam-names';
import type { AwsEnv } from '../common/aws-env';
import { policyDocument } from '../common/policy-document';
import type { Tags } from '../common/tags';

export interface MonitoringArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  /**
   * `alerts.snsTopic` of the config: without the topic the alarms still change state (console,
   * dashboard) but notify no one, and the failed-task rule, which only feeds the topic, is left out.
   */
  readonly alertTopic: boolean;
  readonly emails: readonly string[];
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly clusterName: string;
  readonly clusterArn: pulumi.Input<string>;
  readonly serviceNames: readonly string[];
  readonly glueJobNames: readonly string[];
  readonly lambdaFunctionNames: readonly pulumi.Input<string>[];
  readonly apiId: pulumi.Input<string> | undefined;
  readonly tags: Tags;
}

/** Custom metrics, published as CloudWatch embedded metric format (EMF) by the apps. */
export const METRIC_NAMESPACES = { flows: 'Finks/Flows', ingestion: 'Finks/Ingestion' } as const;

type DashboardPanel = Pick<
  AlarmSpec,
  | 'description'
  | 'namespace'
  | 'metricName'
  | 'dimensions'
  | 'statistic'
  | 'extendedStatistic'
  | 'period'
>;

interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly comparison:
    'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'GreaterThanThreshold';
  readonly threshold: number;
  readonly period?: number;
  readonly missingData?: 'notBreaching' | 'breaching';
}

/**
 * The alert topic (email subscribers from config) when the config asks for one, a dashboard with
 * one widget per signal, one alarm per signal publishing to the topic, and an EventBridge rule
 * sending the topic every one-off ECS task that fails.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string> | undefined;
  readonly alarmNames: readonly string[];
  readonly dashboardName: string;
  readonly failedTaskRuleName: string | undefined;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:observability:Monitoring', name, {}, opts);
    const { env, tags } = args;
    if (!args.alertTopic && args.emails.length > 0) {
      throw new Error(
        `Monitoring ${name}: ${args.emails.length} alert e-mail(s) given but no alert topic; set alerts.snsTopic: true in config/${env}.yaml or empty alerts.emails`,
      );
    }
    const topic = args.alertTopic
      ? new aws.sns.Topic(
          `${name}-alerts`,
          {
            name: snsTopicName({ app: 'infrastructure', env, component: 'alerts' }),
            kmsMasterKeyId: args.kmsKeyArn,
            tags,
          },
          { parent: this },
        )
      : undefined;
    this.topicArn = topic?.arn;
    args.emails.forEach((email, index) => {
      if (topic === undefined) return;
      new aws.sns.TopicSubscription(
        `${name}-alerts-email-${index}`,
        { topic: topic.arn, protocol: 'email', endpoint: email },
        { parent: this },
      );
    });
    const actions = topic ? { alarmActions: [topic.arn], okActions: [topic.arn] } : {};

    const specs = alarmSpecs(args);
    const alarmNames: string[] = [];
    for (const spec of specs) {
      const alarmName = `finks-${env}-${spec.id}`;
      alarmNames.push(alarmName);
      new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.id}`,
        {
          name: alarmName,
          alarmDescription: spec.description,
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensions: spec.dimensions,
          ...(spec.extendedStatistic
            ? { extendedStatistic: spec.extendedStatistic }
            : { statistic: spec.statistic ?? 'Sum' }),
          comparisonOperator: spec.comparison,
          threshold: spec.threshold,
          period: spec.period ?? 300,
          evaluationPeriods: 1,
          treatMissingData: spec.missingData ?? 'notBreaching',
          ...actions,
          tags,
        },
        { parent: this },
      );
    }
    this.alarmNames = alarmNames;

    this.failedTaskRuleName = topic ? failedTaskRuleName(env) : undefined;
    // The failed-task rule is watched on the dashboard by the events it matched.
    const panels: DashboardPanel[] = [
      ...specs,
      ...(this.failedTaskRuleName
        ? [
            {
              description: 'One-off ECS tasks failed',
              namespace: 'AWS/Events',
              metricName: 'MatchedEvents',
              dimensions: { RuleName: this.failedTaskRuleName },
            },
          ]
        : []),
    ];

    this.dashboardName = `finks-${env}-platform`;
    new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: this.dashboardName,
        dashboardBody: pulumi
          .all(panels.map((spec) => pulumi.output(spec.dimensions)))
          .apply((dimensions) =>
            JSON.stringify({
              widgets: panels.map((spec, index) => ({
                type: 'metric',
                x: (index % 3) * 8,
                y: Math.floor(index / 3) * 6,
                width: 8,
                height: 6,
                properties: {
                  title: spec.description,
                  region: args.region,
                  stat: spec.extendedStatistic ?? spec.statistic ?? 'Sum',
                  period: spec.period ?? 300,
                  metrics: [
                    [
                      spec.namespace,
                      spec.metricName,
                      ...Object.entries(dimensions[index] ?? {}).flat(),
                    ],
                  ],
                },
              })),
            }),
          ),
      },
      { parent: this },
    );

    if (topic) this.alertOnFailedTasks(name, args, topic);

    this.registerOutputs({
      topicArn: this.topicArn,
      alarmNames,
      dashboardName: this.dashboardName,
      failedTaskRuleName: this.failedTaskRuleName,
    });
  }

  /**
   * Ingestion connectors and dbt run as one-off tasks (RunTask from the Prefect worker), which no
   * service alarm watches: ECS reports each stop as an event, and a rule forwards the failed ones
   * (a container exiting non-zero, or the task never starting) to the topic. The topic policy lets
   * this rule and the account's alarms publish; setting a policy replaces SNS's default one, which
   * is what let alarms publish before.
   */
  private alertOnFailedTasks(name: string, args: MonitoringArgs, topic: aws.sns.Topic): void {
    const { env, tags } = args;
    const ruleName = failedTaskRuleName(env);
    const rule = new aws.cloudwatch.EventRule(
      `${name}-ecs-task-failed`,
      {
        name: ruleName,
        description: 'One-off ECS tasks of the Finks cluster that stopped with a failure',
        eventPattern: pulumi.jsonStringify(failedTaskPattern(args.clusterArn)),
        tags,
      },
      { parent: this },
    );
    const policy = new aws.sns.TopicPolicy(
      `${name}-alerts-policy`,
      {
        arn: topic.arn,
        policy: policyDocument([
          {
            Sid: 'AlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: {
              ArnLike: {
                'aws:SourceArn': `arn:aws:cloudwatch:${args.region}:${args.accountId}:alarm:finks-${env}-*`,
              },
            },
          },
          {
            Sid: 'FailedTaskEventsPublish',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: { ArnEquals: { 'aws:SourceArn': rule.arn } },
          },
        ]),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-ecs-task-failed-alert`,
      {
        rule: rule.name,
        arn: topic.arn,
        inputTransformer: {
          inputPaths: {
            group: '$.detail.group',
            task: '$.detail.taskArn',
            stopCode: '$.detail.stopCode',
            reason: '$.detail.stoppedReason',
            exitCode: '$.detail.containers[0].exitCode',
          },
          inputTemplate: `"Finks ${env}: ECS task <group> failed (stop code <stopCode>, exit code <exitCode>): <reason>. Task <task>."`,
        },
      },
      { parent: this, dependsOn: [policy] },
    );
  }
}

export function failedTaskRuleName(env: AwsEnv): string {
  return `finks-${env}-ecs-task-failed`;
}

/**
 * ECS "Task State Change" events of one cluster's one-off tasks (group `family:…`; service tasks
 * are `service:…` and have their own alarm) that stopped with a container exiting non-zero, or
 * that never started. Tasks stopped on purpose exit 0 or carry no exit code, and match neither.
 */
export function failedTaskPattern(clusterArn: pulumi.Input<string>) {
  return {
    source: ['aws.ecs'],
    'detail-type': ['ECS Task State Change'],
    detail: {
      clusterArn: [clusterArn],
      lastStatus: ['STOPPED'],
      group: [{ prefix: 'family:' }],
      $or: [
        { containers: { exitCode: [{ 'anything-but': 0 }] } },
        { stopCode: ['TaskFailedToStart'] },
      ],
    },
  };
}

function alarmSpecs(args: MonitoringArgs): AlarmSpec[] {
  const specs: AlarmSpec[] = [
    {
      id: 'flow-runs-failed',
      description: 'Prefect flow runs failed',
      namespace: METRIC_NAMESPACES.flows,
      metricName: 'FlowRunsFailed',
      dimensions: { Environment: args.env },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
    },
    {
      id: 'ingestion-records-quarantined',
      description: 'Ingestion records quarantined',
      namespace: METRIC_NAMESPACES.ingestion,
      metricName: 'RecordsQuarantined',
      dimensions: { Environment: args.env },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
    },
    {
      id: 'ingestion-batches-failed',
      description: 'Ingestion batches failed',
      namespace: METRIC_NAMESPACES.ingestion,
      metricName: 'BatchesFailed',
      dimensions: { Environment: args.env },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
    },
  ];
  for (const service of args.serviceNames) {
    specs.push({
      id: `ecs-${shortId(service)}-not-running`,
      description: `ECS service ${service}: tasks stopped`,
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensions: { ClusterName: args.clusterName, ServiceName: service },
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      threshold: 1,
      missingData: 'breaching',
    });
  }
  for (const job of args.glueJobNames) {
    const dimensions = { JobName: job, JobRunId: 'ALL', Type: 'count' };
    specs.push(
      {
        id: `glue-${shortId(job)}-failed`,
        description: `Glue job ${job}: failed tasks`,
        namespace: 'Glue',
        metricName: 'glue.driver.aggregate.numFailedTasks',
        dimensions,
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
      },
      {
        id: `glue-${shortId(job)}-duration`,
        description: `Glue job ${job}: run longer than 45 minutes`,
        namespace: 'Glue',
        metricName: 'glue.driver.aggregate.elapsedTime',
        dimensions: { ...dimensions, Type: 'gauge' },
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        threshold: 45 * 60 * 1000,
      },
    );
  }
  args.lambdaFunctionNames.forEach((functionName, index) => {
    specs.push(
      {
        id: `lambda-${index}-errors`,
        description: 'Lambda errors',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: functionName },
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
      },
      {
        id: `lambda-${index}-latency`,
        description: 'Lambda p95 duration above 10 s',
        namespace: 'AWS/Lambda',
        metricName: 'Duration',
        dimensions: { FunctionName: functionName },
        extendedStatistic: 'p95',
        comparison: 'GreaterThanThreshold',
        threshold: 10_000,
      },
    );
  });
  if (args.apiId !== undefined) {
    specs.push({
      id: 'api-5xx',
      description: 'API 5xx responses',
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensions: { ApiId: args.apiId },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 5,
    });
  }
  return specs;
}

// `finks-prod-pipelines-worker` → `pipelines-worker`: alarm names repeat the env already.
function shortId(name: string): string {
  return name.replace(/^finks-[a-z]+-/, '');
}
