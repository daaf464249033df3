import { AwsStepError } from './aws-step-error';

/** A Glue job run ended in FAILED, ERROR, TIMEOUT, STOPPED or EXPIRED. */
export class GlueJobFailedError extends AwsStepError {
  override name = 'GlueJobFailedError';

  constructor(
    readonly jobName: string,
    readonly runId: string,
    readonly state: string,
    readonly errorMessage: string | undefined,
  ) {
    super(
      'glue_job_failed',
      `Glue job ${jobName} run ${runId} ended ${state}: ${errorMessage ?? 'Glue gave no ErrorMessage'}`,
    );
  }
}
