/** What went wrong in an AWS step, stable for callers that branch on it. */
export type AwsStepErrorCode =
  | 'invalid_input'
  | 'ecs_run_refused'
  | 'ecs_task_failed'
  | 'glue_job_failed'
  | 'glue_concurrency_limit'
  | 'glue_run_overlap'
  | 'glue_step_failed';

/** Base of the errors the AWS tasks raise; `cause` keeps the SDK error when there is one. */
export class AwsStepError extends Error {
  override name = 'AwsStepError';

  constructor(
    readonly code: AwsStepErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
