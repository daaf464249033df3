import { glueDatabaseName } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import {
  athenaWorkgroupArn,
  bucketArn,
  glueCatalogArn,
  glueDatabaseArn,
  glueJobArn,
  glueTablesArn,
  objectsArn,
  type AccountRef,
} from '../common/arns';
import type { Statement } from '../common/policy-document';
import type { Workload } from '../common/workloads';

export interface PermissionContext extends AccountRef {
  readonly env: AwsEnv;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly kmsKeyArn: string;
  readonly glueJobNames: readonly string[];
  readonly athenaWorkgroup: string;
  /** Families and role ARNs of the tasks the worker may start. */
  readonly runnableTaskFamilies: readonly string[];
  readonly passableRoleArns: readonly string[];
  readonly clusterArn: string;
}

const useKey = (context: PermissionContext): Statement => ({
  Sid: 'UseLakeKey',
  Effect: 'Allow',
  Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
  Resource: context.kmsKeyArn,
});

const writeBronze = (context: PermissionContext, source: string, dataset = ''): Statement[] => {
  const prefix = `source=${source}/${dataset === '' ? '' : `dataset=${dataset}/`}`;
  return [
    {
      Sid: 'WriteBronzeBatches',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: [
        objectsArn(context.buckets.bronze, prefix),
        objectsArn(context.buckets.quarantine, prefix),
      ],
    },
    {
      Sid: 'ListBronze',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: [bucketArn(context.buckets.bronze), bucketArn(context.buckets.quarantine)],
    },
    {
      Sid: 'ReadWriteBookmarks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: objectsArn(context.buckets.artifacts, 'bookmarks/'),
    },
    useKey(context),
  ];
};

/** Athena through the platform workgroup, reading the catalog and lake zones given. */
export function athenaQueryStatements(
  context: PermissionContext,
  read: readonly Zone[],
  write: readonly Zone[],
): Statement[] {
  const databases = [...new Set([...read, ...write])].map((zone) =>
    glueDatabaseName({ env: context.env, zone }),
  );
  return [
    {
      Sid: 'QueryThroughWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        'athena:GetWorkGroup',
      ],
      Resource: athenaWorkgroupArn(context, context.athenaWorkgroup),
    },
    {
      Sid: 'ReadCatalog',
      Effect: 'Allow',
      Action: [
        'glue:GetDatabase',
        'glue:GetDatabases',
        'glue:GetTable',
        'glue:GetTables',
        'glue:GetPartition',
        'glue:GetPartitions',
      ],
      Resource: [
        glueCatalogArn(context),
        ...databases.map((database) => glueDatabaseArn(context, database)),
        ...databases.map((database) => glueTablesArn(context, database)),
      ],
    },
    {
      Sid: 'ReadLakeZones',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: read.flatMap((zone) => [
        bucketArn(context.buckets[zone]),
        objectsArn(context.buckets[zone]),
      ]),
    },
    {
      Sid: 'WriteQueryResults',
      Effect: 'Allow',
      Action: [
        's3:GetObject',
        's3:PutObject',
        's3:ListBucket',
        's3:GetBucketLocation',
        's3:AbortMultipartUpload',
      ],
      Resource: [
        bucketArn(context.buckets['athena-results']),
        objectsArn(context.buckets['athena-results']),
        ...write.flatMap((zone) => [
          bucketArn(context.buckets[zone]),
          objectsArn(context.buckets[zone]),
        ]),
      ],
    },
    useKey(context),
  ];
}

/** What each task's own role may do: nothing beyond its job (its secrets go to the execution role). */
export function taskRoleStatements(workload: Workload, context: PermissionContext): Statement[] {
  switch (workload.key) {
    case 'ingestionFmp':
      return writeBronze(context, 'fmp');
    case 'newsStream':
      return writeBronze(context, 'fmp', 'news');
    case 'ingestionMongodb':
      return writeBronze(context, 'mongodb');
    case 'dbtRunner': {
      const gold = glueDatabaseName({ env: context.env, zone: 'gold' });
      return [
        ...athenaQueryStatements(context, ['silver', 'gold'], ['gold']),
        {
          Sid: 'ManageGoldTables',
          Effect: 'Allow',
          Action: [
            'glue:CreateTable',
            'glue:UpdateTable',
            'glue:DeleteTable',
            'glue:BatchCreatePartition',
            'glue:BatchDeletePartition',
          ],
          Resource: [
            glueCatalogArn(context),
            glueDatabaseArn(context, gold),
            glueTablesArn(context, gold),
          ],
        },
        {
          Sid: 'WriteDbtArtifacts',
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject'],
          Resource: objectsArn(context.buckets.artifacts, 'dbt/'),
        },
        {
          Sid: 'DeleteReplacedGoldObjects',
          Effect: 'Allow',
          Action: 's3:DeleteObject',
          Resource: objectsArn(context.buckets.gold),
        },
      ];
    }
    case 'worker':
      return [
        {
          Sid: 'RunPlatformTasks',
          Effect: 'Allow',
          Action: 'ecs:RunTask',
          Resource: context.runnableTaskFamilies.map(
            (family) =>
              `arn:aws:ecs:${context.region}:${context.accountId}:task-definition/${family}:*`,
          ),
          Condition: { ArnEquals: { 'ecs:cluster': context.clusterArn } },
        },
        {
          Sid: 'WatchPlatformTasks',
          Effect: 'Allow',
          Action: ['ecs:DescribeTasks', 'ecs:StopTask'],
          Resource: `arn:aws:ecs:${context.region}:${context.accountId}:task/*`,
          Condition: { ArnEquals: { 'ecs:cluster': context.clusterArn } },
        },
        {
          // DescribeTaskDefinition has no resource-level permissions.
          Sid: 'DescribeTaskDefinitions',
          Effect: 'Allow',
          Action: 'ecs:DescribeTaskDefinition',
          Resource: '*',
        },
        {
          Sid: 'PassTaskRoles',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: [...context.passableRoleArns],
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
        {
          Sid: 'RunGlueJobs',
          Effect: 'Allow',
          Action: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
          Resource: context.glueJobNames.map((job) => glueJobArn(context, job)),
        },
        {
          Sid: 'PublishFlowMetrics',
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': 'Finks/Flows' } },
        },
      ];
    case 'prefectServer':
      return [];
  }
}
