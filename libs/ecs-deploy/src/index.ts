// Building the next ECS task definition revision of a deployed family with a new image, for the
// apps' deploy.sh scripts (ingestion's connectors, the pipelines worker). The docker and aws work
// stays in the scripts; this lib only turns one describe output into one register input.

export { EcsDeployError, type EcsDeployErrorCode } from './ecs-deploy-error';
export {
  parseDescribedTaskDefinition,
  type DescribedTaskDefinition,
} from './described-task-definition';
export { nextTaskRevision } from './task-revision';
