import { GLUE_SCRIPTS_PREFIX } from '@finks/lake-paths';
import { glueDatabaseName, glueSnapshotsDatabaseName, type App } from '@finks/iam-names';
import { bucketArn, objectsArn } from '../common/arns';
import { dbtAthenaWorkgroupName } from '../common/dbt-workgroup';
import type { Statement } from '../common/policy-document';
import { iamArns } from './boundary-statements';
import { permissionsBoundaryArn, type DeployContext } from './deploy-context';
import { appNamePattern, appRepositoryPattern, envNamePatterns } from './name-patterns';

/**
 * The schemas (Glue databases) dbt-runner's slim CI builds a pull request into
 * (apps/dbt-runner/src/ci/ci-schema.ts): `ci_pr_<number>` from the workflows' DBT_CI_SCHEMA, or
 * `<gold database>_pr_<number>` from `--pr`, and their `<schema>_snapshots` siblings (dbt's
 * default schema naming), which the same prefixes cover. Prefixes, to be followed by `*`.
 */
const pullRequestSchemaPrefixes = (goldDatabase: string) => ['ci_pr_', `${goldDatabase}_pr_`];

/**
 * What a pull request's workflow may do with each app's preview role. Pull requests run code
 * nobody has approved yet, so these roles read (no secret values, no lake data beyond what the
 * check needs) and never change a deployed resource. The one exception is dbt slim CI, which
 * builds into a schema of its own and drops it afterwards.
 */
export function previewStatements(app: App, context: DeployContext): Statement[] {
  switch (app) {
    case 'infrastructure':
      return infrastructurePreview(context);
    case 'pipelines':
      return pipelinesPreview(context);
    case 'dbt-runner':
      return dbtSlimCi(context);
    case 'ingestion':
      return ingestionPreview(context);
  }
}

/** `pulumi preview`: the provider refreshes every resource of the stack, reading only. */
function infrastructurePreview(context: DeployContext): Statement[] {
  const { region, accountId, env } = context;
  const names = envNamePatterns(env);
  const regional = (service: string, resource: string) =>
    `arn:aws:${service}:${region}:${accountId}:${resource}`;
  const iam = iamArns(context);
  const lakeBuckets = [...Object.values(context.buckets), context.accessLogBucket];
  const statements: Statement[] = [
    {
      // Configuration reads only: no object, log event, query result or secret value among them.
      Sid: 'ReadPlatformConfiguration',
      Effect: 'Allow',
      Action: [
        'ec2:Describe*',
        'elasticloadbalancing:Describe*',
        'rds:Describe*',
        'rds:ListTagsForResource',
        'ecs:Describe*',
        'ecs:List*',
        'ecr:DescribeRepositories',
        'ecr:GetLifecyclePolicy',
        'ecr:GetRepositoryPolicy',
        'ecr:ListTagsForResource',
        'logs:DescribeLogGroups',
        'logs:ListTagsLogGroup',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:ListTagsForResource',
        'events:DescribeRule',
        'events:ListTargetsByRule',
        'events:ListTagsForResource',
        'sns:GetTopicAttributes',
        'sns:GetSubscriptionAttributes',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTagsForResource',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetResourcePolicy',
        'glue:GetDatabase',
        'glue:GetDatabases',
        'glue:GetTable',
        'glue:GetTables',
        'glue:GetJob',
        'glue:GetTags',
        'glue:GetSecurityConfiguration',
        'athena:GetWorkGroup',
        'athena:ListTagsForResource',
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListResourceTags',
        'kms:ListAliases',
      ],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    {
      Sid: 'ReadLakeBucketSettings',
      Effect: 'Allow',
      Action: [
        // ListBucket is HeadBucket's permission: object names, never their contents.
        's3:ListBucket',
        's3:GetBucket*',
        's3:GetAccelerateConfiguration',
        's3:GetReplicationConfiguration',
        's3:GetLifecycleConfiguration',
        's3:GetEncryptionConfiguration',
      ],
      Resource: lakeBuckets.map(bucketArn),
    },
    {
      Sid: 'ReadGlueScripts',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectTagging'],
      Resource: objectsArn(context.buckets.artifacts, GLUE_SCRIPTS_PREFIX),
    },
    {
      Sid: 'ReadHttpApis',
      Effect: 'Allow',
      Action: 'apigateway:GET',
      Resource: [`arn:aws:apigateway:${region}::/apis`, `arn:aws:apigateway:${region}::/apis/*`],
    },
    {
      Sid: 'ReadProjectIam',
      Effect: 'Allow',
      Action: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetOpenIDConnectProvider',
      ],
      Resource: [iam.projectRoles, permissionsBoundaryArn(context), iam.githubOidcProvider],
    },
    {
      // GetFunction also returns a link to the code, which is this repository's own.
      Sid: 'ReadOwnFunctions',
      Effect: 'Allow',
      Action: [
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:GetPolicy',
        'lambda:ListVersionsByFunction',
        'lambda:ListTags',
      ],
      Resource: regional('lambda', `function:${names.flat}`),
    },
    {
      Sid: 'ReadOwnDashboards',
      Effect: 'Allow',
      Action: 'cloudwatch:GetDashboard',
      Resource: `arn:aws:cloudwatch::${accountId}:dashboard/${names.flat}`,
    },
    {
      Sid: 'ReadOwnLogGroups',
      Effect: 'Allow',
      Action: 'logs:ListTagsForResource',
      Resource: regional('logs', `log-group:${names.logGroup}`),
    },
  ];
  if (context.stateBucket !== undefined) {
    statements.push(
      {
        Sid: 'ReadPulumiState',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [bucketArn(context.stateBucket), objectsArn(context.stateBucket)],
      },
      {
        // A preview takes the stack's lock like any operation; the lock file is all it writes.
        Sid: 'PulumiStateLock',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: objectsArn(context.stateBucket, '.pulumi/locks/'),
      },
    );
  }
  return statements;
}

/** Flow validation needs the deployed Glue jobs and their scripts, to compare, not to change. */
function pipelinesPreview(context: DeployContext): Statement[] {
  const { region, accountId, env } = context;
  return [
    {
      Sid: 'ReadOwnGlueJobs',
      Effect: 'Allow',
      Action: ['glue:GetJob', 'glue:GetJobRuns'],
      Resource: `arn:aws:glue:${region}:${accountId}:job/${appNamePattern('pipelines', env)}`,
    },
    {
      Sid: 'ReadGlueScripts',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: objectsArn(context.buckets.artifacts, GLUE_SCRIPTS_PREFIX),
    },
    {
      Sid: 'DecryptScripts',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: context.kmsKeyArn,
    },
  ];
}

/** Image builds may pull their own images as a cache; nothing is pushed from a pull request. */
function ingestionPreview(context: DeployContext): Statement[] {
  const { region, accountId, env } = context;
  return [
    { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'PullOwnImages',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:DescribeImages',
      ],
      Resource: `arn:aws:ecr:${region}:${accountId}:repository/${appRepositoryPattern('ingestion', env)}`,
    },
    {
      Sid: 'DecryptImageLayers',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: context.kmsKeyArn,
    },
  ];
}

/**
 * dbt slim CI (`state:modified+ --defer`): reads silver and gold through Athena and builds the
 * modified models into a Glue database of the pull request's own (`ci_pr_<number>`) that
 * pr-closed.yml drops again. Nothing it may write is read by anything deployed.
 */
function dbtSlimCi(context: DeployContext): Statement[] {
  const { region, accountId, env, buckets } = context;
  const glue = (resource: string) => `arn:aws:glue:${region}:${accountId}:${resource}`;
  const silver = glueDatabaseName({ env, zone: 'silver' });
  const gold = glueDatabaseName({ env, zone: 'gold' });
  // `--defer` resolves an unchanged snapshot to the env's own, so slim CI reads it there.
  const snapshots = glueSnapshotsDatabaseName({ env });
  const prefixes = pullRequestSchemaPrefixes(gold);
  const prDatabases = prefixes.map((prefix) => glue(`database/${prefix}*`));
  const prTables = prefixes.map((prefix) => glue(`table/${prefix}*/*`));
  const workgroup = dbtAthenaWorkgroupName(env);
  return [
    {
      Sid: 'QueryInTheDbtWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        'athena:GetWorkGroup',
      ],
      Resource: `arn:aws:athena:${region}:${accountId}:workgroup/${workgroup}`,
    },
    {
      Sid: 'ReadSilverAndGoldCatalog',
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
        glue('catalog'),
        glue(`database/${silver}`),
        glue(`table/${silver}/*`),
        glue(`database/${gold}`),
        glue(`table/${gold}/*`),
        glue(`database/${snapshots}`),
        glue(`table/${snapshots}/*`),
        ...prDatabases,
        ...prTables,
      ],
    },
    {
      Sid: 'BuildOnlyInThePullRequestSchema',
      Effect: 'Allow',
      Action: [
        'glue:CreateDatabase',
        'glue:DeleteDatabase',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:DeleteTable',
        'glue:BatchDeleteTable',
        'glue:BatchCreatePartition',
        'glue:BatchDeletePartition',
        // dbt-athena expires old versions of each view it builds (expire_glue_table_versions).
        'glue:GetTableVersions',
        'glue:DeleteTableVersion',
      ],
      Resource: [glue('catalog'), ...prDatabases, ...prTables],
    },
    {
      Sid: 'ReadSilverAndGoldData',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: [
        bucketArn(buckets.silver),
        objectsArn(buckets.silver),
        bucketArn(buckets.gold),
        objectsArn(buckets.gold),
      ],
    },
    {
      // dbt-athena writes tables under s3_data_dir/<schema>/ and query results under dbt/.
      Sid: 'WriteOnlyPullRequestData',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: [
        ...prefixes.map((prefix) => objectsArn(buckets.gold, `dbt/${prefix}`)),
        objectsArn(buckets['athena-results'], 'dbt/'),
      ],
    },
    {
      Sid: 'ReadQueryResults',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: [
        bucketArn(buckets['athena-results']),
        objectsArn(buckets['athena-results'], 'dbt/'),
      ],
    },
    {
      Sid: 'UseTheLakeKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: context.kmsKeyArn,
    },
  ];
}
