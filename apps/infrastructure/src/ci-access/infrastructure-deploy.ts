import { GLUE_SCRIPTS_PREFIX } from '@finks/lake-paths';
import { bucketArn, objectsArn } from '../common/arns';
import type { Statement } from '../common/policy-document';
import { BOUNDED_ROLE_ACTIONS, iamArns } from './boundary-statements';
import { permissionsBoundaryArn, type DeployContext } from './deploy-context';
import { envNamePatterns } from './name-patterns';

/** Services whose roles the program passes: ECS tasks, the API's Lambda functions, Glue jobs. */
const PASSED_TO = ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com', 'glue.amazonaws.com'];

/** Service-linked roles the program's resources need on first use in an account. */
const SERVICE_LINKED = [
  'ecs.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'rds.amazonaws.com',
];

/**
 * What `pulumi up` of this program may do: the services it declares resources in, each scoped
 * to the environment's names where the service's ARNs carry them (@finks/iam-names patterns),
 * and IAM only on the project's roles with the permissions boundary attached. Actions AWS does
 * not scope to a resource (Describe*, RegisterTaskDefinition, CreateSecurityConfiguration…) are
 * listed by name on `*`. EC2 and load balancer ARNs carry generated ids, not our names, so those
 * are scoped to the region (and the account, where the ARN has one) instead.
 */
export function infrastructureDeployStatements(context: DeployContext): Statement[] {
  const { region, accountId, env } = context;
  const names = envNamePatterns(env);
  const regional = (service: string, resource: string) =>
    `arn:aws:${service}:${region}:${accountId}:${resource}`;
  const iam = iamArns(context);
  const boundary = permissionsBoundaryArn(context);
  const lakeBuckets = [...Object.values(context.buckets), context.accessLogBucket];

  const statements: Statement[] = [
    {
      Sid: 'ActionsWithoutResourceScope',
      Effect: 'Allow',
      Action: [
        'ec2:Describe*',
        'elasticloadbalancing:Describe*',
        'rds:Describe*',
        'ecs:Describe*',
        'ecs:List*',
        'ecs:RegisterTaskDefinition',
        'ecs:DeregisterTaskDefinition',
        'logs:DescribeLogGroups',
        'cloudwatch:DescribeAlarms',
        'glue:CreateSecurityConfiguration',
        'glue:GetSecurityConfiguration',
        'glue:GetSecurityConfigurations',
        'glue:DeleteSecurityConfiguration',
        'ecr:GetAuthorizationToken',
        'sns:ListTopics',
        'kms:ListAliases',
      ],
      Resource: '*',
    },
    {
      Sid: 'Network',
      Effect: 'Allow',
      Action: [
        'ec2:Create*',
        'ec2:Delete*',
        'ec2:Modify*',
        'ec2:Associate*',
        'ec2:Disassociate*',
        'ec2:AllocateAddress',
        'ec2:ReleaseAddress',
        'ec2:AttachInternetGateway',
        'ec2:DetachInternetGateway',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:UpdateSecurityGroupRuleDescriptions*',
        'ec2:ReplaceRoute',
        'ec2:ReplaceRouteTableAssociation',
      ],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    {
      Sid: 'LoadBalancers',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:*',
      Resource: regional('elasticloadbalancing', '*'),
    },
    {
      // Exact bucket names: a pattern like finks-<env>-* would also match every object key.
      Sid: 'LakeBuckets',
      Effect: 'Allow',
      Action: [
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:ListBucket',
        's3:GetBucket*',
        's3:PutBucket*',
        's3:DeleteBucket*',
        's3:GetAccelerateConfiguration',
        's3:GetReplicationConfiguration',
        's3:GetLifecycleConfiguration',
        's3:PutLifecycleConfiguration',
        's3:GetEncryptionConfiguration',
        's3:PutEncryptionConfiguration',
      ],
      Resource: lakeBuckets.map(bucketArn),
    },
    {
      // The Glue job scripts are the only objects the program writes.
      Sid: 'GlueScriptObjects',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:GetObjectTagging'],
      Resource: objectsArn(context.buckets.artifacts, GLUE_SCRIPTS_PREFIX),
    },
    {
      // Tag-scoped: the key's ARN is generated, and a replacement key must be manageable before
      // this policy could learn its new ARN.
      Sid: 'CreateLakeKey',
      Effect: 'Allow',
      Action: ['kms:CreateKey', 'kms:TagResource'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestTag/project': 'finks', 'aws:RequestTag/env': env } },
    },
    {
      Sid: 'ManageLakeKey',
      Effect: 'Allow',
      Action: [
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListResourceTags',
        'kms:PutKeyPolicy',
        'kms:EnableKeyRotation',
        'kms:UpdateKeyDescription',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:ScheduleKeyDeletion',
        'kms:CreateAlias',
        'kms:DeleteAlias',
        'kms:UpdateAlias',
        // Encrypted repositories, databases and script uploads use the key on the caller's behalf.
        'kms:CreateGrant',
        'kms:GenerateDataKey',
        'kms:Decrypt',
      ],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:ResourceTag/project': 'finks', 'aws:ResourceTag/env': env },
      },
    },
    {
      Sid: 'LakeKeyAlias',
      Effect: 'Allow',
      Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      Resource: regional('kms', `alias/${names.flat}`),
    },
    {
      Sid: 'Containers',
      Effect: 'Allow',
      Action: 'ecs:*',
      Resource: [
        regional('ecs', `cluster/${names.flat}`),
        regional('ecs', `service/${names.flat}/${names.flat}`),
        regional('ecs', `task-definition/${names.flat}:*`),
      ],
    },
    {
      Sid: 'Registries',
      Effect: 'Allow',
      Action: 'ecr:*',
      Resource: regional('ecr', `repository/${names.ecrRepository}`),
    },
    {
      Sid: 'PrefectDatabase',
      Effect: 'Allow',
      Action: 'rds:*',
      Resource: [
        regional('rds', `db:${names.flat}`),
        regional('rds', `subgrp:${names.flat}`),
        regional('rds', `snapshot:${names.flat}`),
        // CreateDBInstance also authorises the default parameter and option groups it uses.
        regional('rds', 'pg:default.*'),
        regional('rds', 'og:default:*'),
      ],
    },
    {
      Sid: 'LogGroups',
      Effect: 'Allow',
      Action: 'logs:*',
      Resource: [
        regional('logs', `log-group:${names.logGroup}`),
        regional('logs', `log-group:${names.logGroup}:*`),
      ],
    },
    {
      // HTTP API access logging goes through CloudWatch Logs deliveries, which have no ARN.
      Sid: 'ApiAccessLogDelivery',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
      ],
      Resource: '*',
    },
    {
      Sid: 'AlarmsAndDashboards',
      Effect: 'Allow',
      Action: 'cloudwatch:*',
      Resource: [
        regional('cloudwatch', `alarm:${names.flat}`),
        `arn:aws:cloudwatch::${accountId}:dashboard/${names.flat}`,
      ],
    },
    {
      Sid: 'EventRules',
      Effect: 'Allow',
      Action: 'events:*',
      Resource: regional('events', `rule/${names.flat}`),
    },
    {
      Sid: 'AlertTopic',
      Effect: 'Allow',
      Action: 'sns:*',
      Resource: regional('sns', names.flat),
    },
    {
      // Create and describe only: the deploy never reads a secret's value.
      Sid: 'SecretsWithoutValues',
      Effect: 'Allow',
      Action: [
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:UpdateSecret',
        'secretsmanager:RestoreSecret',
        'secretsmanager:TagResource',
        'secretsmanager:UntagResource',
        'secretsmanager:GetResourcePolicy',
        'secretsmanager:PutResourcePolicy',
        'secretsmanager:DeleteResourcePolicy',
      ],
      Resource: [
        regional('secretsmanager', `secret:${names.secret}`),
        // RDS creates the managed master-password secret with the caller's rights.
        regional('secretsmanager', 'secret:rds!db-*'),
      ],
    },
    {
      Sid: 'GlueCatalogAndJobs',
      Effect: 'Allow',
      Action: 'glue:*',
      Resource: [
        regional('glue', 'catalog'),
        regional('glue', `database/${names.glueDatabase}`),
        regional('glue', `table/${names.glueDatabase}/*`),
        regional('glue', `job/${names.flat}`),
      ],
    },
    {
      Sid: 'AthenaWorkgroups',
      Effect: 'Allow',
      Action: 'athena:*',
      Resource: regional('athena', `workgroup/${names.flat}`),
    },
    {
      Sid: 'ApiFunctions',
      Effect: 'Allow',
      Action: 'lambda:*',
      Resource: regional('lambda', `function:${names.flat}`),
    },
    {
      // HTTP APIs (API Gateway v2) of this region only: not REST APIs, not account settings.
      Sid: 'HttpApis',
      Effect: 'Allow',
      Action: [
        'apigateway:GET',
        'apigateway:POST',
        'apigateway:PUT',
        'apigateway:PATCH',
        'apigateway:DELETE',
        'apigateway:TagResource',
        'apigateway:UntagResource',
      ],
      Resource: [
        `arn:aws:apigateway:${region}::/apis`,
        `arn:aws:apigateway:${region}::/apis/*`,
        `arn:aws:apigateway:${region}::/tags/*`,
      ],
    },
    {
      // Creating a role, or giving one permissions, only with the boundary attached to it.
      Sid: 'BoundedProjectRoles',
      Effect: 'Allow',
      Action: [...BOUNDED_ROLE_ACTIONS, 'iam:DeleteRolePolicy'],
      Resource: iam.projectRoles,
      Condition: { StringEquals: { 'iam:PermissionsBoundary': boundary } },
    },
    {
      Sid: 'ReadAndRetireProjectRoles',
      Effect: 'Allow',
      Action: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:DeleteRole',
      ],
      Resource: iam.projectRoles,
    },
    {
      Sid: 'PassProjectRolesToWorkloads',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: iam.projectRoles,
      Condition: { StringEquals: { 'iam:PassedToService': PASSED_TO } },
    },
    {
      // Read only: the boundary is created and changed by an administrator, never by CI.
      Sid: 'ReadTheBoundary',
      Effect: 'Allow',
      Action: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions'],
      Resource: boundary,
    },
    {
      Sid: 'GithubOidcProvider',
      Effect: 'Allow',
      Action: [
        'iam:GetOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UntagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
        'iam:AddClientIDToOpenIDConnectProvider',
        'iam:RemoveClientIDFromOpenIDConnectProvider',
      ],
      Resource: iam.githubOidcProvider,
    },
    {
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: iam.serviceLinkedRoles,
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED } },
    },
  ];
  if (env === 'dev') {
    // forceDestroy (dev only) empties a bucket before deleting it.
    statements.push({
      Sid: 'EmptyDevBucketsOnDestroy',
      Effect: 'Allow',
      Action: ['s3:ListBucketVersions', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: [...lakeBuckets.map(bucketArn), ...lakeBuckets.map((bucket) => objectsArn(bucket))],
    });
  }
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
