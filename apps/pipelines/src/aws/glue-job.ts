// One Glue job run for one flow step: waiting for the active runs it must not overlap (same
// exclusive argument), StartJobRun with the correlation id among the arguments, waiting out the
// job's MaxConcurrentRuns, then GetJobRun until a final state.
import {
  BatchStopJobRunCommand,
  ConcurrentRunsExceededException,
  GetJobRunCommand,
  GlueClient,
  StartJobRunCommand,
} from '@aws-sdk/client-glue';
import type { FinksEnv } from '@finks/config';
import { glueJobName } from '@finks/iam-names';
import { getRunLogger, task, type TaskOptions } from '@finks/prefect';
import { awsClientConfig, type AwsClientSettings } from './aws-client-config';
import { AwsInputError } from './aws-input-error';
import { backoffDelayMs, notifyStarted, sleep, type BackoffOptions } from './backoff';
import { checkCorrelationId } from './ecs-request';
import { GlueConcurrencyLimitError } from './glue-concurrency-error';
import { GlueJobFailedError } from './glue-job-failed-error';
import { ACTIVE_RUN_STATES, waitForOverlappingRuns } from './glue-overlapping-runs';
import { GlueStepError } from './glue-step-error';
import { runSignal } from './run-signal';

export interface GlueJobRequest {
  readonly jobName: string;
  /** Sent as `--correlation_id`, whatever `arguments` says. */
  readonly correlationId: string;
  /** Job arguments; keys with or without the leading `--` (`dataset` or `--dataset`). */
  readonly arguments?: Readonly<Record<string, string>>;
  /**
   * What the run works on, in words (`dataset fmp.eod_prices; dates 2026-11-25; batches
   * pending`), named in every error: one job serves many datasets, so its name does not say.
   */
  readonly subject?: string;
  /**
   * An argument (`dataset` or `--dataset`) no two active runs of the job may share a value of:
   * before starting, the run waits while one with the same value is STARTING, RUNNING, WAITING
   * or STOPPING (`glue-overlapping-runs.ts`).
   */
  readonly exclusiveArgument?: string;
}

export interface GlueJobOptions extends AwsClientSettings {
  readonly glue?: GlueClient;
  /** GetJobRun polling; default 5 s doubling to 60 s (Glue jobs run for minutes). */
  readonly poll?: BackoffOptions;
  /** How long to keep retrying StartJobRun while the job is at its MaxConcurrentRuns (10 min). */
  readonly concurrencyWaitMs?: number;
  /** Waits between those retries, and between looks at overlapping runs; 15 s doubling to 60 s. */
  readonly concurrencyBackoff?: BackoffOptions;
  /**
   * How long to wait for an overlapping run (`exclusiveArgument`) to end; default 65 min: the
   * pipelines' Glue jobs time out after 60 min, so a run that is still active by then is stuck.
   */
  readonly overlapWaitMs?: number;
  /**
   * Aborting asks Glue to stop the run (BatchStopJobRun) and rethrows the abort reason. Default:
   * the signal of the run the caller is in (runSignal).
   */
  readonly signal?: AbortSignal;
  /** Called once the run has started (awaited; its errors are logged, not thrown). */
  readonly onStarted?: (runId: string) => void | Promise<void>;
}

export interface GlueJobResult {
  readonly jobName: string;
  readonly runId: string;
  readonly state: 'SUCCEEDED';
  readonly executionTimeSeconds: number | undefined;
  /** StartJobRun attempts refused by the concurrent-run limit before one was accepted. */
  readonly concurrencyRetries: number;
  /** The overlapping runs (same `exclusiveArgument` value) it waited for before starting. */
  readonly waitedForRuns: readonly string[];
}

const OVERLAP_WAIT_MS = 65 * 60_000;

/** The Glue job of a script in `apps/pipelines/glue_scripts`, as infrastructure names it. */
export function pipelinesGlueJobName(env: FinksEnv, script: string): string {
  return glueJobName({
    app: 'pipelines',
    env,
    component: script.replace(/\.py$/, '').replaceAll('_', '-'),
  });
}

function argumentName(key: string, field: string): string {
  const name = key.startsWith('--') ? key : `--${key}`;
  if (!/^--[A-Za-z][\w-]*$/.test(name)) {
    throw new AwsInputError(
      field,
      'is not a Glue argument name (letters, digits, _ and -, e.g. dataset or --dataset)',
    );
  }
  return name;
}

function jobArguments(request: GlueJobRequest): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.arguments ?? {})) {
    result[argumentName(key, `arguments.${key}`)] = value;
  }
  result['--correlation_id'] = request.correlationId;
  return result;
}

/** The exclusive argument's name and this run's value of it, or null without one. */
function exclusiveOf(
  request: GlueJobRequest,
  args: Record<string, string>,
): { argument: string; value: string } | null {
  if (request.exclusiveArgument === undefined) return null;
  const argument = argumentName(request.exclusiveArgument, 'exclusiveArgument');
  const value = args[argument];
  if (value === undefined) {
    throw new AwsInputError(
      'exclusiveArgument',
      `names ${argument}, which is not among the run's arguments; pass it in arguments too`,
    );
  }
  return { argument, value };
}

/**
 * Starts a run of `request.jobName` and waits for it to end. Resolves on SUCCEEDED; rejects with
 * `GlueJobFailedError` (Glue's ErrorMessage) on FAILED, ERROR, TIMEOUT, STOPPED or EXPIRED, with
 * `GlueConcurrencyLimitError` when the job stayed at its MaxConcurrentRuns too long, with
 * `GlueRunOverlapError` when a run with the same `exclusiveArgument` value stayed active too long,
 * and with `GlueStepError` (the SDK error as `cause`) when a Glue request fails. Each names
 * `request.subject`. A cancellation rejects with the signal's reason, as it is.
 */
export async function runGlueJob(
  request: GlueJobRequest,
  options: GlueJobOptions = {},
): Promise<GlueJobResult> {
  if (request.jobName.trim() === '') {
    throw new AwsInputError('jobName', 'is empty; use pipelinesGlueJobName(env, script)');
  }
  checkCorrelationId(request.correlationId);
  const args = jobArguments(request);
  const exclusive = exclusiveOf(request, args);
  const glue = options.glue ?? new GlueClient(awsClientConfig(options));
  // The run's signal when none is given: a cancelled or timed-out flow stops its Glue run.
  const signal = runSignal(options.signal);
  const subject = request.subject;
  signal?.throwIfAborted();

  const waitedForRuns = new Set<string>();
  // Looked at before every StartJobRun attempt, not once: a wait at the job's MaxConcurrentRuns
  // can last minutes, in which a run of the same dataset may start.
  const waitForOverlaps = async () => {
    if (!exclusive) return;
    const waited = await waitForOverlappingRuns(glue, {
      jobName: request.jobName,
      ...exclusive,
      subject,
      waitMs: options.overlapWaitMs ?? OVERLAP_WAIT_MS,
      backoff: concurrencyBackoffOf(options),
      signal,
    });
    for (const id of waited) waitedForRuns.add(id);
  };
  const { runId, concurrencyRetries } = await startWithinConcurrencyLimit(
    glue,
    request.jobName,
    args,
    subject,
    options,
    waitForOverlaps,
  );
  await notifyStarted(options.onStarted, runId);

  try {
    for (let attempt = 0; ; attempt += 1) {
      // The first look is immediate: a run can be refused or finished at once.
      if (attempt > 0) await sleep(backoffDelayMs(attempt - 1, pollDefaults(options.poll)), signal);
      const { JobRun: run } = await glue
        .send(new GetJobRunCommand({ JobName: request.jobName, RunId: runId }), {
          ...(signal ? { abortSignal: signal } : {}),
        })
        .catch((error: unknown) => {
          if (signal?.aborted) throw error;
          throw new GlueStepError(request.jobName, `GetJobRun of run ${runId}`, subject, error);
        });
      const state = run?.JobRunState ?? 'UNKNOWN';
      if (state === 'SUCCEEDED') {
        return {
          jobName: request.jobName,
          runId,
          state,
          executionTimeSeconds: run?.ExecutionTime,
          concurrencyRetries,
          waitedForRuns: [...waitedForRuns],
        };
      }
      if (!ACTIVE_RUN_STATES.has(state)) {
        throw new GlueJobFailedError(request.jobName, runId, state, run?.ErrorMessage, subject);
      }
    }
  } catch (error) {
    if (signal?.aborted) await stopCancelledRun(glue, request.jobName, runId);
    throw error;
  }
}

function concurrencyBackoffOf(options: GlueJobOptions): BackoffOptions {
  return { initialMs: 15_000, maxMs: 60_000, ...options.concurrencyBackoff };
}

function pollDefaults(poll: BackoffOptions | undefined): BackoffOptions {
  return { initialMs: 5_000, maxMs: 60_000, ...poll };
}

async function startWithinConcurrencyLimit(
  glue: GlueClient,
  jobName: string,
  args: Record<string, string>,
  subject: string | undefined,
  options: GlueJobOptions,
  beforeEachStart: () => Promise<void>,
): Promise<{ runId: string; concurrencyRetries: number }> {
  const waitLimit = options.concurrencyWaitMs ?? 600_000;
  const backoff = concurrencyBackoffOf(options);
  const since = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    await beforeEachStart();
    try {
      const started = await glue.send(
        new StartJobRunCommand({ JobName: jobName, Arguments: args }),
      );
      if (!started.JobRunId) throw new Error('Glue answered without a JobRunId');
      return { runId: started.JobRunId, concurrencyRetries: attempt };
    } catch (error) {
      if (!(error instanceof ConcurrentRunsExceededException)) {
        throw new GlueStepError(jobName, 'StartJobRun', subject, error);
      }
      const delay = backoffDelayMs(attempt, backoff);
      const waited = Date.now() - since;
      if (waited + delay > waitLimit)
        throw new GlueConcurrencyLimitError(jobName, waited, {
          cause: error,
          ...(subject !== undefined ? { subject } : {}),
        });
      getRunLogger().info(
        `Glue job ${jobName} is at its MaxConcurrentRuns; starting again in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, options.signal);
    }
  }
}

async function stopCancelledRun(glue: GlueClient, jobName: string, runId: string): Promise<void> {
  try {
    await glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [runId] }));
  } catch (error) {
    // The cancellation is what the caller needs to hear about; a failed stop is only logged.
    getRunLogger().warning(
      `Could not stop Glue job ${jobName} run ${runId} after cancellation: ${(error as Error).message}`,
    );
  }
}

/** `runGlueJob` as a Prefect task; the task run's signal (timeout, cancellation) stops the Glue run. */
export function createGlueJobTask(
  taskOptions: Partial<TaskOptions<[GlueJobRequest, GlueJobOptions?]>> = {},
) {
  return task(
    { name: 'glue-job', tags: ['aws', 'glue'], ...taskOptions },
    (request: GlueJobRequest, options: GlueJobOptions = {}) => runGlueJob(request, options),
  );
}

export const glueJobTask = createGlueJobTask();
