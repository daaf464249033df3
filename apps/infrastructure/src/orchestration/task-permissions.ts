import { glueDatabaseName } from '@finks/iam-names';
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
      Sid: 'ReadWriteBookmarks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: objectsArn(context.buckets.artifacts, 'bookmarks/'),
    },
    useKey(context),
  ];
};

/** What Athena access is written from; the API's Lambda uses it too. */
export type AthenaContext = Pick<
  PermissionContext,
  'env' | 'region' | 'accountId' | 'buckets' | 'kmsKeyArn' | 'athenaWorkgroup'
>;

/** Athena through the platform workgroup, reading the catalog and lake zones given. */
export function athenaQueryStatements(
  context: AthenaContext,
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
      return workerStatements(context);
    case 'prefectServer':
      return [];
  }
}
