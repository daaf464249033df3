import { AwsStepError } from './aws-step-error';

/**
 * A Glue step failed around its job run rather than in it: an AWS request (StartJobRun,
 * GetJobRun, GetJobRuns, reading what the run stored) failed, or what the run stored cannot be
 * used. The message names the job and what the run works on; `cause` is the original error.
 */
export class GlueStepError extends AwsStepError {
  override name = 'GlueStepError';

  constructor(
    readonly jobName: string,
    /** What failed, e.g. `GetJobRun of run jr_…`. */
    readonly operation: string,
    readonly subject: string | undefined,
    cause: unknown,
  ) {
    super(
      'glue_step_failed',
      `${operation} for Glue job ${jobName}${subject ? ` (${subject})` : ''} failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}
