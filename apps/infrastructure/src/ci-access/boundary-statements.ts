import type { Statement } from '../common/policy-document';
import { GITHUB_OIDC_HOST } from './github-oidc';
import { permissionsBoundaryArn, type DeployContext } from './deploy-context';
import { envNamePatterns } from './name-patterns';

/**
 * The AWS services the program declares resources in (and the only ones its workloads use).
 * The infrastructure deploy gets these and no others; the permissions boundary caps every role
 * of the program at them.
 */
export const PLATFORM_SERVICES = [
  'ec2',
  'elasticloadbalancing',
  's3',
  'kms',
  'ecs',
  'ecr',
  'rds',
  'logs',
  'cloudwatch',
  'events',
  'sns',
  'secretsmanager',
  'glue',
  'athena',
  'lambda',
  'apigateway',
] as const;

/** The privilege-granting IAM actions that must carry the boundary on the role they touch. */
export const BOUNDED_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
] as const;

export const iamArns = (context: Pick<DeployContext, 'env' | 'accountId'>) => {
  const patterns = envNamePatterns(context.env);
  const account = `arn:aws:iam::${context.accountId}`;
  return {
    projectRoles: `${account}:role/${patterns.flat}`,
    projectPolicies: `${account}:policy/${patterns.flat}`,
    githubOidcProvider: `${account}:oidc-provider/${GITHUB_OIDC_HOST}`,
    serviceLinkedRoles: `${account}:role/aws-service-role/*`,
  };
};

/**
 * The permissions boundary of every role the program creates, the deploy roles included: the
 * most any of them can ever do, whatever its own policies say. A role that can write IAM could
 * otherwise grant itself more; with the boundary it can only create or change roles that carry
 * the same boundary, cannot edit or remove it, and never leaves the platform's services, the
 * project's IAM names or the stack's region. Changing this document needs an administrator.
 */
export function boundaryStatements(
  context: Pick<DeployContext, 'env' | 'region' | 'accountId'>,
): Statement[] {
  const boundary = permissionsBoundaryArn(context);
  const iam = iamArns(context);
  return [
    {
      Sid: 'PlatformServices',
      Effect: 'Allow',
      Action: PLATFORM_SERVICES.map((service) => `${service}:*`),
      Resource: '*',
    },
    {
      Sid: 'ProjectIam',
      Effect: 'Allow',
      Action: 'iam:*',
      Resource: [iam.projectRoles, iam.projectPolicies, iam.githubOidcProvider],
    },
    {
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: iam.serviceLinkedRoles,
    },
    {
      Sid: 'NoBoundaryEdits',
      Effect: 'Deny',
      Action: [
        'iam:CreatePolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
        'iam:SetDefaultPolicyVersion',
      ],
      Resource: boundary,
    },
    {
      Sid: 'NoBoundaryRemoval',
      Effect: 'Deny',
      Action: 'iam:DeleteRolePermissionsBoundary',
      Resource: '*',
    },
    {
      Sid: 'NoRolesWithoutThisBoundary',
      Effect: 'Deny',
      Action: [...BOUNDED_ROLE_ACTIONS],
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': boundary } },
    },
    {
      // IAM and STS are global; everything else stays in the stack's region.
      Sid: 'OnlyTheStackRegion',
      Effect: 'Deny',
      NotAction: ['iam:*', 'sts:*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': context.region } },
    },
  ];
}
