import { fitName, type NameRule } from './name-rule';
import { flatName, type ResourceNameInput } from './resource-name-input';

// Clusters, services and task definition families share one rule:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
const ECS_NAME = {
  maxLength: 255,
  pattern: /^[A-Za-z0-9_-]+$/,
  described: 'letters, digits, _ and -',
};
const ECS_CLUSTER: NameRule = { ...ECS_NAME, resource: 'ECS cluster' };
const ECS_SERVICE: NameRule = { ...ECS_NAME, resource: 'ECS service' };
const ECS_TASK_FAMILY: NameRule = { ...ECS_NAME, resource: 'ECS task definition family' };

/** `finks-<env>-<app>-<component>`, at most 255 characters. */
export function ecsClusterName(input: ResourceNameInput): string {
  return fitName(ECS_CLUSTER, flatName(input));
}

/** `finks-<env>-<app>-<component>`, at most 255 characters. */
export function ecsServiceName(input: ResourceNameInput): string {
  return fitName(ECS_SERVICE, flatName(input));
}

/** `finks-<env>-<app>-<component>`, at most 255 characters. */
export function ecsTaskFamilyName(input: ResourceNameInput): string {
  return fitName(ECS_TASK_FAMILY, flatName(input));
}
