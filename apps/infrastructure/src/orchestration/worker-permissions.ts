import { DRIFT_REPORTS_PREFIX, bronzeDatasetPrefix } from '@finks/lake-paths';
import { bucketArn, glueJobArn, logGroupArn, objectsArn, taskDefinitionArn } from '../common/arns';
import type { Statement } from '../common/policy-document';
import { listArtifacts } from './artifacts-listing';
import type { PermissionContext } from './permission-context';

/**
 * The Prefect worker's task role: what the pipelines flows it runs call (apps/pipelines/src/aws
 * and flows/aws-steps.ts) — start, watch and stop the platform's on-demand tasks and read the
 * tail of their logs, run the pipelines Glue jobs and read the drift reports they store (listing
 * the artifacts bucket, so a missing report is a 404), list the news manifests for the
 * news-stream watchdog, and notify failures.
 */
export function workerStatements(context: PermissionContext): Statement[] {
  const onCluster = { ArnEquals: { 'ecs:cluster': context.clusterArn } };
  const statements: Statement[] = [
    {
      Sid: 'RunPlatformTasks',
      Effect: 'Allow',
      Action: 'ecs:RunTask',
      Resource: context.runnableTaskFamilies.map((family) => taskDefinitionArn(context, family)),
      Condition: onCluster,
    },
    {
      Sid: 'WatchPlatformTasks',
      Effect: 'Allow',
      Action: ['ecs:DescribeTasks', 'ecs:StopTask'],
      Resource: `arn:aws:ecs:${context.region}:${context.accountId}:task/${context.clusterName}/*`,
      Condition: onCluster,
    },
    {
      // ListTasks is authorised on container instances, which Fargate has none of; the cluster
      // condition is what confines it (the news-stream watchdog lists its running task).
      Sid: 'ListPlatformTasks',
      Effect: 'Allow',
      Action: 'ecs:ListTasks',
      Resource: '*',
      Condition: onCluster,
    },
    {
      Sid: 'PassTaskRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: [...context.passableRoleArns],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
    {
      // A failed task's error carries the last lines of its log stream.
      Sid: 'ReadTaskLogs',
      Effect: 'Allow',
      Action: 'logs:GetLogEvents',
      Resource: context.runnableLogGroups.map((group) => logGroupArn(context, group)),
    },
    {
      Sid: 'RunGlueJobs',
      Effect: 'Allow',
      Action: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
      Resource: context.glueJobNames.map((job) => glueJobArn(context, job)),
    },
    {
      // The news-stream watchdog only lists manifests (their LastModified); it reads no data.
      Sid: 'ListNewsManifests',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn(context.buckets.bronze),
      Condition: {
        StringLike: { 's3:prefix': `${bronzeDatasetPrefix({ source: 'fmp', dataset: 'news' })}*` },
      },
    },
    {
      // transformation-validate-schemas reads back the report its Glue job stored.
      Sid: 'ReadDriftReports',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: objectsArn(context.buckets.artifacts, DRIFT_REPORTS_PREFIX),
    },
    // A run whose Glue script stored no report must read as NoSuchKey, which the flow turns into
    // an error naming the fix (deploy the infrastructure stack), not as AccessDenied.
    listArtifacts(context),
    {
      Sid: 'ReadSlackWebhook',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: context.slackWebhookSecretArn,
    },
    {
      // The flow-failure metric the monitoring alarm watches (Finks/Flows FlowRunsFailed).
      Sid: 'PublishFlowMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Finks/Flows' } },
    },
  ];
  if (context.alertTopicArn !== undefined) {
    statements.push({
      Sid: 'PublishAlerts',
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: context.alertTopicArn,
    });
  }
  // The secret and the alert topic are encrypted with the lake key: reading the one needs
  // Decrypt, publishing to the other GenerateDataKey as well.
  statements.push({
    Sid: 'UseLakeKey',
    Effect: 'Allow',
    Action:
      context.alertTopicArn === undefined ? 'kms:Decrypt' : ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: context.kmsKeyArn,
  });
  return statements;
}
