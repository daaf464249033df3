import { AwsStepError } from './aws-step-error';

/** StartJobRun kept meeting the job's MaxConcurrentRuns for longer than the caller would wait. */
export class GlueConcurrencyLimitError extends AwsStepError {
  override name = 'GlueConcurrencyLimitError';
  /** What the run was to work on (`GlueJobRequest.subject`). */
  readonly subject: string | undefined;

  constructor(
    readonly jobName: string,
    readonly waitedMs: number,
    options?: { cause?: unknown; subject?: string },
  ) {
    super(
      'glue_concurrency_limit',
      `Glue job ${jobName}${options?.subject ? ` (${options.subject})` : ''} still runs as many runs as its MaxConcurrentRuns allows after waiting ${Math.round(
        waitedMs / 1000,
      )} s; let the running runs finish, raise MaxConcurrentRuns on the job, or allow a longer concurrencyWaitMs`,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.subject = options?.subject;
  }
}
