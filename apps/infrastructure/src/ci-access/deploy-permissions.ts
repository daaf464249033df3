import { ecrRepositoryName, type App } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { bucketArn, objectsArn } from '../common/arns';
import type { Statement } from '../common/policy-document';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * The GitHub Actions subject a deploy role trusts: a job of this repository running in the
 * GitHub environment named after the stack. Environments carry their own protection rules
 * (required reviewers for prod), which a branch condition alone cannot express.
 */
export function deploySubject(githubRepository: string, env: AwsEnv): string {
  return `repo:${githubRepository}:environment:${env}`;
}

export interface DeployContext {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly kmsKeyArn: string;
  readonly stateBucket?: string;
}

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
    Resource: `arn:aws:ecr:${context.region}:${context.accountId}:repository/${ecrRepositoryName({ app, env: context.env, component: 'x' }).replace(/x$/, '*')}`,
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
    Resource: `arn:aws:iam::${context.accountId}:role/finks-${context.env}-${app}-*`,
    Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  },
  {
    Sid: 'RollOwnServices',
    Effect: 'Allow',
    Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
    Resource: `arn:aws:ecs:${context.region}:${context.accountId}:service/*/finks-${context.env}-${app}-*`,
  },
];

/** What each app's deploy does, and so all its role may do. */
export function deployStatements(app: App, context: DeployContext): Statement[] {
  switch (app) {
    case 'infrastructure': {
      // `pulumi up` manages every service the program declares; it gets those services and no
      // others (no `*` action), and its state bucket when the state lives in S3.
      const services = [
        'ec2',
        's3',
        'kms',
        'iam',
        'ecs',
        'ecr',
        'rds',
        'elasticloadbalancing',
        'logs',
        'cloudwatch',
        'sns',
        'secretsmanager',
        'glue',
        'athena',
        'lambda',
        'apigateway',
      ];
      const statements: Statement[] = [
        {
          Sid: 'ManagePlatformServices',
          Effect: 'Allow',
          Action: services.map((service) => `${service}:*`),
          Resource: '*',
        },
      ];
      if (context.stateBucket !== undefined) {
        statements.push({
          Sid: 'PulumiState',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
          Resource: [bucketArn(context.stateBucket), objectsArn(context.stateBucket)],
        });
      }
      return statements;
    }
    case 'pipelines':
      return [
        {
          Sid: 'UploadGlueScripts',
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject'],
          Resource: objectsArn(context.buckets.artifacts, 'glue-scripts/'),
        },
        {
          Sid: 'UpdateOwnGlueJobs',
          Effect: 'Allow',
          Action: ['glue:GetJob', 'glue:UpdateJob'],
          Resource: `arn:aws:glue:${context.region}:${context.accountId}:job/finks-${context.env}-pipelines-*`,
        },
        {
          Sid: 'EncryptScripts',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: context.kmsKeyArn,
        },
      ];
    case 'dbt-runner':
      return [...pushImages(context, app), ...registerTasks(context, app)];
    case 'ingestion':
      return [...pushImages(context, app), ...registerTasks(context, app)];
  }
}
