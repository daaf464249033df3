import { glueDatabaseName, glueSnapshotsDatabaseName } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import {
  athenaWorkgroupArn,
  bucketArn,
  glueCatalogArn,
  glueDatabaseArn,
  glueTablesArn,
  objectsArn,
} from '../common/arns';
import type { Statement } from '../common/policy-document';
import type { Workload } from '../common/workloads';
import { listArtifacts } from './artifacts-listing';
import type { PermissionContext } from './permission-context';
import { workerStatements } from './worker-permissions';

export type { PermissionContext } from './permission-context';

const useKey = (context: Pick<PermissionContext, 'kmsKeyArn'>): Statement => ({
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
      // RunState.complete() deletes the pending-run file it read back in recover(); the news
      // stream deletes its pending batch and the write-ahead segments a batch has committed.
      Sid: 'ReadWriteBookmarks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: objectsArn(context.buckets.artifacts, 'bookmarks/'),
    },
    // recover() reads a pending-run file that is normally absent, and the news stream lists its
    // write-ahead segments under the bookmarks.
    listArtifacts(context),
    useKey(context),
  ];
};

/** What Athena access is written from; the API's Lambda uses it too. */
export type AthenaContext = Pick<
  PermissionContext,
  'env' | 'region' | 'accountId' | 'buckets' | 'kmsKeyArn' | 'athenaWorkgroup'
>;

/**
 * Athena through `context.athenaWorkgroup`, reading the catalog of the zones given (and of
 * `otherDatabases`, Glue databases that are no zone's) and the `read` zones' data.
 */
export function athenaQueryStatements(
  context: AthenaContext,
  read: readonly Zone[],
  write: readonly Zone[],
  otherDatabases: readonly string[] = [],
): Statement[] {
  const databases = [
    ...new Set([...read, ...write].map((zone) => glueDatabaseName({ env: context.env, zone }))),
    ...otherDatabases,
  ];
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
    case 'dbtRunner':
      return dbtRunnerStatements(context);
    case 'worker':
      return workerStatements(context);
    case 'prefectServer':
      return [];
  }
}

/**
 * `dbt build` with dbt-athena: queries through dbt-runner's own workgroup (which, unlike the
 * analytics one, lets dbt set the tables' locations), reads silver and gold, and builds into
 * the gold database and, for the snapshots, into gold's snapshots database.
 */
function dbtRunnerStatements(context: PermissionContext): Statement[] {
  const gold = glueDatabaseName({ env: context.env, zone: 'gold' });
  const snapshots = glueSnapshotsDatabaseName({ env: context.env });
  return [
    ...athenaQueryStatements(
      { ...context, athenaWorkgroup: context.dbtAthenaWorkgroup },
      ['silver', 'gold'],
      ['gold'],
      [snapshots],
    ),
    {
      Sid: 'ManageDbtTables',
      Effect: 'Allow',
      Action: [
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:DeleteTable',
        'glue:BatchCreatePartition',
        'glue:BatchDeletePartition',
        // dbt-athena's view materialization expires old table versions after every build
        // (expire_glue_table_versions); listing them is not guarded, so without it views fail.
        'glue:GetTableVersions',
        'glue:DeleteTableVersion',
      ],
      Resource: [
        glueCatalogArn(context),
        ...[gold, snapshots].flatMap((database) => [
          glueDatabaseArn(context, database),
          glueTablesArn(context, database),
        ]),
      ],
    },
    {
      Sid: 'WriteDbtArtifacts',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: objectsArn(context.buckets.artifacts, 'dbt/'),
    },
    // `slim-ci --state-env` reads the env's latest manifest, absent until a main build wrote it.
    listArtifacts(context),
    {
      // dbt-athena deletes a table's data when it drops or rebuilds the table (snapshots too).
      Sid: 'DeleteReplacedGoldObjects',
      Effect: 'Allow',
      Action: 's3:DeleteObject',
      Resource: objectsArn(context.buckets.gold),
    },
  ];
}
