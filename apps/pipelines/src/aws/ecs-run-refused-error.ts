import { AwsStepError } from './aws-step-error';

/** RunTask started no task: ECS answered with failures (capacity, missing definition, …). */
export class EcsRunRefusedError extends AwsStepError {
  override name = 'EcsRunRefusedError';

  constructor(
    readonly cluster: string,
    readonly taskDefinition: string,
    readonly reasons: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      'ecs_run_refused',
      `ECS did not start ${taskDefinition} on cluster ${cluster}: ${
        reasons.length > 0 ? reasons.join('; ') : 'no task and no failure reported'
      }`,
      options,
    );
  }
}
