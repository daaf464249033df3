import { GLUE_SCRIPTS_PREFIX } from '@finks/lake-paths';
import type { App } from '@finks/iam-names';
import { objectsArn } from '../common/arns';
import type { Statement } from '../common/policy-document';
import type { DeployContext } from './deploy-context';
import { infrastructureDeployStatements } from './infrastructure-deploy';
import { appNamePattern, appRepositoryPattern } from './name-patterns';

const pushImages = (context: DeployContext, app: App): Statement[] => [
  { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
  {
    Sid: 'PushOwnImages',
    Effect: 'Allow',
    Action: [
      'ecr:BatchCheckLayerAvailability',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:PutImage',
      'ecr:BatchGetImage',
      'ecr:DescribeImages',
    ],
    // Every repository of the app lives under finks/<env>/<app>/.
    Resource: `arn:aws:ecr:${context.region}:${context.accountId}:repository/${appRepositoryPattern(app, context.env)}`,
  },
  {
    Sid: 'EncryptImageLayers',
    Effect: 'Allow',
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: context.kmsKeyArn,
  },
];

const registerTasks = (context: DeployContext, app: App): Statement[] => [
  {
    // RegisterTaskDefinition and DescribeTaskDefinition have no resource-level permissions.
    Sid: 'RegisterTaskRevisions',
    Effect: 'Allow',
    Action: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
    Resource: '*',
  },
  {
    Sid: 'PassOwnTaskRoles',
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: `arn:aws:iam::${context.accountId}:role/${appNamePattern(app, context.env)}`,
    Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  },
  {
    Sid: 'RollOwnServices',
    Effect: 'Allow',
    Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
    Resource: `arn:aws:ecs:${context.region}:${context.accountId}:service/*/${appNamePattern(app, context.env)}`,
  },
];

/** What each app's deploy does, and so all its role may do. */
export function deployStatements(app: App, context: DeployContext): Statement[] {
  switch (app) {
    case 'infrastructure':
      return infrastructureDeployStatements(context);
    case 'pipelines':
      return [
        {
          Sid: 'UploadGlueScripts',
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject'],
          Resource: objectsArn(context.buckets.artifacts, GLUE_SCRIPTS_PREFIX),
        },
        {
          Sid: 'UpdateOwnGlueJobs',
          Effect: 'Allow',
          Action: ['glue:GetJob', 'glue:UpdateJob'],
          Resource: `arn:aws:glue:${context.region}:${context.accountId}:job/${appNamePattern('pipelines', context.env)}`,
        },
        {
          Sid: 'EncryptScripts',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: context.kmsKeyArn,
        },
        // The Prefect worker image (finks/<env>/pipelines/worker) and its service.
        ...pushImages(context, app),
        ...registerTasks(context, app),
      ];
    case 'dbt-runner':
      return [...pushImages(context, app), ...registerTasks(context, app)];
    case 'ingestion':
      return [...pushImages(context, app), ...registerTasks(context, app)];
  }
}
