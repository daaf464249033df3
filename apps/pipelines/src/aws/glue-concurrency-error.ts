import { AwsStepError } from './aws-step-error';

/** StartJobRun kept meeting the job's MaxConcurrentRuns for longer than the caller would wait. */
export class GlueConcurrencyLimitError extends AwsStepError {
  override name = 'GlueConcurrencyLimitError';

  constructor(
    readonly jobName: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      'glue_concurrency_limit',
      `Glue job ${jobName} still runs as many runs as its MaxConcurrentRuns allows after waiting ${Math.round(
        waitedMs / 1000,
      )} s; let the running runs finish, raise MaxConcurrentRuns on the job, or allow a longer concurrencyWaitMs`,
      options,
    );
  }
}
