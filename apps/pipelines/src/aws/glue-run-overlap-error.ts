import { AwsStepError } from './aws-step-error';

/**
 * Another run of the job with the same exclusive argument (`--dataset`) was still active after
 * the caller had waited as long as it would (`GlueJobOptions.overlapWaitMs`); no run was started.
 */
export class GlueRunOverlapError extends AwsStepError {
  override name = 'GlueRunOverlapError';

  constructor(
    readonly jobName: string,
    readonly blockingRunId: string,
    readonly blockingState: string,
    /** The exclusive argument and the value both runs have, e.g. `--dataset` `fmp.eod_prices`. */
    readonly argument: string,
    readonly value: string,
    readonly waitedMs: number,
    readonly subject?: string,
  ) {
    super(
      'glue_run_overlap',
      `Glue job ${jobName}${subject ? ` (${subject})` : ''} was not started: its run ${blockingRunId} ` +
        `with ${argument} ${value} is still ${blockingState} after waiting ${Math.round(waitedMs / 1000)} s, ` +
        'and two runs with the same value must not overlap; let that run end (or stop it: ' +
        `aws glue batch-stop-job-run --job-name ${jobName} --job-run-ids ${blockingRunId}), then run this again`,
    );
  }
}
