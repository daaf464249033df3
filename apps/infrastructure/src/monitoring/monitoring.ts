import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { snsTopicName } from '@finks/iam-names';
import type { AwsEnv } from '../common/aws-env';
import type { Tags } from '../common/tags';

export interface MonitoringArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly emails: readonly string[];
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly clusterName: string;
  readonly serviceNames: readonly string[];
  readonly glueJobNames: readonly string[];
  readonly lambdaFunctionNames: readonly pulumi.Input<string>[];
  readonly apiId: pulumi.Input<string> | undefined;
  readonly tags: Tags;
}

/** Custom metrics, published as CloudWatch embedded metric format (EMF) by the apps. */
export const METRIC_NAMESPACES = { flows: 'Finks/Flows', ingestion: 'Finks/Ingestion' } as const;

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
 * The alert topic (email subscribers from config), a dashboard with one widget per signal, and
 * one alarm per signal publishing to the topic.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly alarmNames: readonly string[];
  readonly dashboardName: string;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:observability:Monitoring', name, {}, opts);
    const { env, tags } = args;
    const topic = new aws.sns.Topic(
      `${name}-alerts`,
      {
        name: snsTopicName({ app: 'infrastructure', env, component: 'alerts' }),
        kmsMasterKeyId: args.kmsKeyArn,
        tags,
      },
      { parent: this },
    );
    this.topicArn = topic.arn;
    args.emails.forEach((email, index) => {
      new aws.sns.TopicSubscription(
        `${name}-alerts-email-${index}`,
        { topic: topic.arn, protocol: 'email', endpoint: email },
        { parent: this },
      );
    });

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
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          tags,
        },
        { parent: this },
      );
    }
    this.alarmNames = alarmNames;

    this.dashboardName = `finks-${env}-platform`;
    new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: this.dashboardName,
        dashboardBody: pulumi
          .all(specs.map((spec) => pulumi.output(spec.dimensions)))
          .apply((dimensions) =>
            JSON.stringify({
              widgets: specs.map((spec, index) => ({
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

    this.registerOutputs({
      topicArn: this.topicArn,
      alarmNames,
      dashboardName: this.dashboardName,
    });
  }
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

// `finks-prod-ingestion-worker` → `ingestion-worker`: alarm names repeat the env already.
function shortId(name: string): string {
  return name.replace(/^finks-[a-z]+-/, '');
}
