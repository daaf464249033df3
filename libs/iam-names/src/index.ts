// Deterministic AWS resource names per app and environment. Names that would pass an AWS limit
// are cut and given a hash of the full name, so they stay unique and never change between runs.

export { IamNameError, type IamNameErrorCode, type IamNameErrorDetails } from './iam-name-error';
export { APPS, isApp, type App } from './app';
export type { ResourceNameInput } from './resource-name-input';

export { iamPolicyName, iamRoleName } from './iam';
export { ecsClusterName, ecsServiceName, ecsTaskFamilyName } from './ecs';
export { ecrRepositoryName } from './ecr';
export {
  glueDatabaseName,
  glueJobName,
  glueSnapshotsDatabaseName,
  type GlueDatabaseInput,
} from './glue';
export { athenaWorkgroupName } from './athena';
export { secretName, type SecretNameInput } from './secrets-manager';
export { logGroupName } from './cloudwatch-logs';
export { snsTopicName } from './sns';
