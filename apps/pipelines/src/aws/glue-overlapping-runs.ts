// Runs of one Glue job that must not overlap: those with the same value of an exclusive argument.
// The cleansing job serves every dataset (MaxConcurrentRuns = the number of contracts), so the job
// limit does not stop two runs of one dataset; they would each overwrite the silver partitions
// from the silver they read at their start, and the one ending last drops the other's batches
// while the ledger lists them as cleansed. So a run waits for the active runs of its dataset.
import { GetJobRunsCommand, type GlueClient, type JobRun } from '@aws-sdk/client-glue';
import { getRunLogger } from '@finks/prefect';
import { backoffDelayMs, sleep, type BackoffOptions } from './backoff';
import { GlueRunOverlapError } from './glue-run-overlap-error';
import { GlueStepError } from './glue-step-error';

/** States in which a run may still read or write: STOPPING runs can still be writing. */
export const ACTIVE_RUN_STATES: ReadonlySet<string> = new Set([
  'STARTING',
  'RUNNING',
  'WAITING',
  'STOPPING',
]);

/** GetJobRuns' largest page. */
const PAGE_SIZE = 200;

/** The job's active runs whose `argument` (e.g. `--dataset`) is `value`, every page read. */
export async function activeRunsWith(
  glue: GlueClient,
  jobName: string,
  argument: string,
  value: string,
  signal?: AbortSignal,
): Promise<JobRun[]> {
  const active: JobRun[] = [];
  let token: string | undefined;
  do {
    const page = await glue.send(
      new GetJobRunsCommand({ JobName: jobName, MaxResults: PAGE_SIZE, NextToken: token }),
      { ...(signal ? { abortSignal: signal } : {}) },
    );
    for (const run of page.JobRuns ?? []) {
      if (ACTIVE_RUN_STATES.has(run.JobRunState ?? '') && run.Arguments?.[argument] === value) {
        active.push(run);
      }
    }
    token = page.NextToken;
  } while (token);
  return active;
}

export interface OverlapWait {
  readonly jobName: string;
  readonly argument: string;
  readonly value: string;
  readonly subject: string | undefined;
  /** The longest wait before giving up with `GlueRunOverlapError`. */
  readonly waitMs: number;
  readonly backoff: BackoffOptions;
  readonly signal: AbortSignal | undefined;
}

/**
 * Resolves once no run of the job with the same `argument` value is active, with the ids of the
 * runs it waited for. Two callers that look at the same moment can both start: this narrows the
 * window to the time between a look and StartJobRun, and the cleansing job's own dataset lock
 * (glue_scripts/silver_lock.py) closes it; waiting here keeps the second run from idling in Glue.
 */
export async function waitForOverlappingRuns(
  glue: GlueClient,
  wait: OverlapWait,
): Promise<string[]> {
  const since = Date.now();
  const waitedFor = new Set<string>();
  for (let attempt = 0; ; attempt += 1) {
    const active = await activeRunsWith(
      glue,
      wait.jobName,
      wait.argument,
      wait.value,
      wait.signal,
    ).catch((error: unknown) => {
      if (wait.signal?.aborted) throw error;
      throw new GlueStepError(wait.jobName, 'GetJobRuns', wait.subject, error);
    });
    const blocking = active[0];
    if (!blocking) return [...waitedFor];
    const runId = blocking.Id ?? 'of unknown id';
    const state = blocking.JobRunState ?? 'active';
    waitedFor.add(runId);
    const delay = backoffDelayMs(attempt, wait.backoff);
    const waited = Date.now() - since;
    if (waited + delay > wait.waitMs) {
      throw new GlueRunOverlapError(
        wait.jobName,
        runId,
        state,
        wait.argument,
        wait.value,
        waited,
        wait.subject,
      );
    }
    getRunLogger().info(
      `Glue job ${wait.jobName} run ${runId} with ${wait.argument} ${wait.value} is ${state}; ` +
        `starting when it has ended (next look in ${(delay / 1000).toFixed(1)} s)`,
    );
    await sleep(delay, wait.signal);
  }
}
