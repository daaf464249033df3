// The AWS side of the pipelines as reusable Prefect tasks: ECS tasks (ingestion connectors, dbt),
// Glue job runs, and their typed errors. The flows wire them; see each file for the details.
export { AwsStepError, type AwsStepErrorCode } from './aws-step-error';
export { AwsInputError } from './aws-input-error';
export { EcsRunRefusedError } from './ecs-run-refused-error';
export { EcsTaskFailedError, type EcsTaskFailure } from './ecs-task-failed-error';
export { GlueJobFailedError } from './glue-job-failed-error';
export { GlueConcurrencyLimitError } from './glue-concurrency-error';
export { GlueRunOverlapError } from './glue-run-overlap-error';
export { GlueStepError } from './glue-step-error';

export { awsClientConfig, type AwsClientSettings } from './aws-client-config';
export { backoffDelayMs, type BackoffOptions } from './backoff';
export {
  ECS_WORKLOADS,
  ecsTargetFor,
  isEcsWorkload,
  type EcsTarget,
  type EcsWorkload,
} from './ecs-workloads';
export { ecsLogStreamName, fetchLogTail } from './ecs-log-tail';
export { checkCorrelationId, type EcsNetwork, type EcsTaskRequest } from './ecs-request';
export {
  createEcsTask,
  ecsTask,
  runEcsTask,
  startEcsTask,
  type EcsTaskOptions,
  type EcsTaskResult,
  type StartedEcsTask,
} from './ecs-task';
export {
  createGlueJobTask,
  glueJobTask,
  pipelinesGlueJobName,
  runGlueJob,
  type GlueJobOptions,
  type GlueJobRequest,
  type GlueJobResult,
} from './glue-job';
