import { AwsStepError } from './aws-step-error';

/** A Glue job run ended in FAILED, ERROR, TIMEOUT, STOPPED or EXPIRED. */
export class GlueJobFailedError extends AwsStepError {
  override name = 'GlueJobFailedError';

  constructor(
    readonly jobName: string,
    readonly runId: string,
    readonly state: string,
    readonly errorMessage: string | undefined,
    /** What the run worked on (`GlueJobRequest.subject`): one job serves many datasets. */
    readonly subject?: string,
  ) {
    super(
      'glue_job_failed',
      `Glue job ${jobName} run ${runId}${subject ? ` (${subject})` : ''} ended ${state}: ${
        errorMessage ?? 'Glue gave no ErrorMessage'
      }`,
    );
  }
}
