import { randomUUID } from 'node:crypto';
import { PrefectError } from '../errors/prefect-error';
import {
  currentRunContext,
  enclosingFlow,
  nextDynamicKey,
  runContextStorage,
  type RunContext,
  type TaskRunContext,
} from './context';
import {
  proposeFinal,
  proposeRunning,
  runAttempt,
  waitForScheduledTime,
  type Attempt,
} from './engine';
import {
  checkNonNegativeInteger,
  checkNonNegativeSeconds,
  checkPositiveSeconds,
  checkRunName,
  mergeTags,
  taskKeyFor,
} from './keys';
import { ApiOrchestrator, type RunRecord, type TaskInputs, type TaskRunSpec } from './orchestrator';
import { createRunLogger, type RunLogger } from './run-logger';
import { acquireTagSlots } from './tag-concurrency';
import { currentRuntime, trackActiveRun } from './runtime';
import {
  describeError,
  inlineResult,
  isFinal,
  readInlineResult,
  stateCreate,
  type State,
} from './states';

export interface TaskOptions<A extends unknown[]> {
  readonly name: string;
  readonly description?: string;
  /** Retries after the first failure, applied by the server's RetryFailedTasks rule. */
  readonly retries?: number;
  /** Seconds before each retry: one number, or one per retry (the last repeats). */
  readonly retryDelaySeconds?: number | readonly number[];
  /** Randomises retry delays by up to this factor (Prefect's `retry_jitter_factor`). */
  readonly retryJitterFactor?: number;
  /** Fail an attempt (state FAILED "TimedOut") after this many seconds. */
  readonly timeoutSeconds?: number;
  readonly tags?: readonly string[];
  /**
   * Cache key for a call: a later call with the same key (in any flow run) is answered from the
   * server's cache with state "Cached" instead of running. The result must survive JSON.
   */
  readonly cacheKey?: (...args: A) => string | undefined;
  /** How long a cached result stays valid (default: forever). */
  readonly cacheExpirationSeconds?: number;
}

export interface Task<A extends unknown[], R> {
  (...args: A): Promise<R>;
  readonly taskName: string;
  /** `task_key` of this task's runs: `<name>-<hash of the function source>`. */
  readonly taskKey: string;
  readonly options: TaskOptions<A>;
}

/** The task run that produced an object, so a later task taking it records the dependency. */
const resultOwners = new WeakMap<object, string>();

/**
 * Wraps a function as a Prefect task. Each call inside a flow creates a task run with Prefect's
 * `task_key`/`dynamic_key` scheme and moves it through RUNNING to COMPLETED or FAILED under the
 * server's orchestration (retries become AwaitingRetry → Retrying; timeouts FAILED "TimedOut").
 * Called outside a flow it still runs, as a task run without a flow run.
 */
export function task<A extends unknown[], R>(
  options: TaskOptions<A> | string,
  fn: (...args: A) => R | Promise<R>,
): Task<A, R> {
  const opts: TaskOptions<A> = typeof options === 'string' ? { name: options } : options;
  checkRunName('task', opts.name);
  checkNonNegativeInteger('retries', opts.retries);
  checkPositiveSeconds('timeoutSeconds', opts.timeoutSeconds);
  checkPositiveSeconds('cacheExpirationSeconds', opts.cacheExpirationSeconds);
  const delays = opts.retryDelaySeconds;
  for (const delay of typeof delays === 'number' || delays === undefined ? [delays] : delays) {
    checkNonNegativeSeconds('retryDelaySeconds', delay);
  }
  const definition = { options: opts, fn, taskKey: taskKeyFor(opts.name, fn) };
  const callable = (...args: A): Promise<R> => runTask(definition, args);
  return Object.assign(callable, {
    taskName: opts.name,
    taskKey: definition.taskKey,
    options: opts,
  });
}

interface TaskDefinition<A extends unknown[], R> {
  readonly options: TaskOptions<A>;
  readonly fn: (...args: A) => R | Promise<R>;
  readonly taskKey: string;
}

function taskInputsFor(args: readonly unknown[], parent: RunContext | undefined): TaskInputs {
  const inputs: TaskInputs = {};
  args.forEach((arg, index) => {
    const owner = typeof arg === 'object' && arg !== null ? resultOwners.get(arg) : undefined;
    inputs[`arg${index}`] = owner ? [{ input_type: 'task_run', id: owner }] : [];
  });
  if (parent?.kind === 'task') {
    inputs['__parents__'] = [{ input_type: 'task_run', id: parent.taskRunId }];
  }
  return inputs;
}

function valueOfFinalState<R>(state: State, logger: RunLogger): R {
  if (state.type === 'COMPLETED') {
    const result = readInlineResult(state.data);
    if (result.found) {
      logger.info(`Finished in state ${state.name ?? 'Completed'}()`);
      return result.value as R;
    }
    throw new PrefectError(
      'task_failed',
      `The task run is already ${state.name ?? 'Completed'} but its result was not stored, so it cannot be returned.`,
    );
  }
  throw new PrefectError(
    'task_failed',
    `The task run ended in state ${state.name ?? state.type}: ${state.message ?? 'no message'}`,
  );
}

async function runTask<A extends unknown[], R>(
  definition: TaskDefinition<A, R>,
  args: A,
): Promise<R> {
  const { options, fn, taskKey } = definition;
  const runtime = currentRuntime();
  const orchestrator = runtime.orchestrator;
  const parent = currentRunContext();
  const flow = enclosingFlow(parent);
  const proposedId = randomUUID();
  const dynamicKey = flow
    ? nextDynamicKey(flow, taskKey)
    : `${taskKey}-${randomUUID().replaceAll('-', '')}`;
  const cacheKey = options.cacheKey?.(...args);
  const cacheExpiration =
    options.cacheExpirationSeconds !== undefined
      ? new Date(Date.now() + options.cacheExpirationSeconds * 1000)
      : undefined;
  const tags = mergeTags(flow?.tags, options.tags);

  const name = flow ? `${options.name}-${dynamicKey}` : options.name;
  const spec: TaskRunSpec = {
    id: proposedId,
    flowRunId: flow?.flowRunId,
    taskKey,
    dynamicKey,
    name,
    tags,
    retries: options.retries ?? 0,
    retryDelaySeconds: options.retryDelaySeconds ?? 0,
    ...(options.retryJitterFactor !== undefined
      ? { retryJitterFactor: options.retryJitterFactor }
      : {}),
    taskInputs: taskInputsFor(args, parent),
    ...(cacheKey !== undefined ? { cacheKey } : {}),
    ...(cacheExpiration ? { cacheExpiration } : {}),
    // Without a cache key, the run is created straight in RUNNING (one request instead of two);
    // with one, it starts PENDING so that the RUNNING proposal can be answered from the cache.
    initialState: stateCreate({ type: cacheKey === undefined ? 'RUNNING' : 'PENDING' }),
  };
  const reporter = cacheKey === undefined && flow ? flow.reporter : undefined;
  const newLogger = (runName: string, taskRunId: string): RunLogger =>
    createRunLogger(
      { kind: 'task', runName, ...(flow ? { flowRunId: flow.flowRunId } : {}), taskRunId },
      runtime.logSink,
      runtime.consoleLevel,
    );
  const contextFor = (taskRunId: string, taskRunName: string, logger: RunLogger) => {
    const controller = new AbortController();
    const context: TaskRunContext = {
      kind: 'task',
      flow,
      taskName: options.name,
      taskRunId,
      taskRunName,
      tags,
      logger,
      signal: controller.signal,
    };
    return { controller, context };
  };

  // Tag concurrency limits hold the run before any of it (as Python's engine does); tasks
  // without tags, or without an API, skip the request. Only a run created straight in RUNNING
  // (no cache key) needs the client to hold them: that creation is forced, so the server's
  // policy takes no slot. A RUNNING *proposal* (a cached run leaving PENDING, a retry, the run
  // of an earlier attempt) makes the server's SecureTaskConcurrencySlots take one on the same
  // `tag:` limit, so holding ours as well would count the run twice — with a limit of 1 the
  // server would answer WAIT forever while we hold the only slot.
  let slots =
    orchestrator instanceof ApiOrchestrator && tags.length > 0 && cacheKey === undefined
      ? await acquireTagSlots(
          orchestrator.client,
          proposedId,
          tags,
          newLogger(name, proposedId),
          flow?.signal,
        )
      : undefined;
  /** Before a RUNNING proposal: the server's policy holds the run's slots from here on. */
  const handSlotsToServer = async (): Promise<void> => {
    const held = slots;
    slots = undefined;
    await held?.release();
  };
  const run = async (): Promise<R> => {
    let created: RunRecord;
    let logger: RunLogger;
    let firstOutcome: Attempt<R> | undefined;
    let untrack: () => void;
    if (reporter && flow) {
      // Fast path: run the body first; a success is recorded after the fact (in a batch, see
      // TaskRunReporter) and the flow moves on without waiting for the server.
      logger = newLogger(name, proposedId);
      untrack = trackActiveRun(runtime, 'task', proposedId);
      const startedAt = new Date();
      const { controller, context } = contextFor(proposedId, name, logger);
      const outcome = await runAttempt('task', options.timeoutSeconds, controller, () =>
        runContextStorage.run(context, async () => fn(...args)),
      );
      if (outcome.interrupted) {
        untrack();
        throw outcome.interrupted;
      }
      if (outcome.ok) {
        untrack();
        reporter.record({ spec, flowRunId: flow.flowRunId, startedAt, endedAt: new Date() });
        const value = outcome.value as R;
        logger.info('Finished in state Completed()');
        if (typeof value === 'object' && value !== null) resultOwners.set(value, proposedId);
        return value;
      }
      // A failure needs the server's answer (retry or not): create the run and continue on the
      // synchronous path.
      try {
        created = await orchestrator.createTaskRun(spec);
      } catch (error) {
        untrack();
        throw error;
      }
      firstOutcome = outcome;
    } else {
      created = await orchestrator.createTaskRun(spec);
      logger = newLogger(created.name, created.id);
      untrack = trackActiveRun(runtime, 'task', created.id);
    }
    try {
      // A run created by an earlier attempt of the same flow run comes back instead of ours.
      if (!firstOutcome && (created.id !== proposedId || created.state?.type !== 'RUNNING')) {
        await handSlotsToServer();
        const state = await proposeRunning(
          orchestrator,
          'task',
          created.id,
          cacheKey !== undefined ? { cacheKey } : {},
          logger,
        );
        if (isFinal(state.type)) return valueOfFinalState<R>(state, logger);
      }

      const retries = options.retries ?? 0;
      for (let attempt = 1; ; attempt += 1) {
        let outcome = firstOutcome;
        firstOutcome = undefined;
        if (!outcome) {
          const { controller, context } = contextFor(created.id, created.name, logger);
          outcome = await runAttempt('task', options.timeoutSeconds, controller, () =>
            runContextStorage.run(context, async () => fn(...args)),
          );
        }

        if (outcome.interrupted) throw outcome.interrupted;
        if (outcome.ok) {
          const value = outcome.value as R;
          const stored = cacheKey !== undefined ? inlineResult(value) : undefined;
          const final = await proposeFinal(
            orchestrator,
            'task',
            created.id,
            {
              type: 'COMPLETED',
              ...(stored ? { data: stored, cacheKey: cacheKey as string } : {}),
              ...(stored && cacheExpiration ? { cacheExpiration } : {}),
            },
            logger,
          );
          logger.info(`Finished in state ${final?.name ?? 'Completed'}()`);
          if (typeof value === 'object' && value !== null) resultOwners.set(value, created.id);
          return value;
        }

        const error = outcome.error;
        const message = outcome.timedOut
          ? (error as Error).message
          : `Task run encountered an exception ${describeError(error)}`;
        const final = await proposeFinal(
          orchestrator,
          'task',
          created.id,
          { type: 'FAILED', message, ...(outcome.timedOut ? { name: 'TimedOut' } : {}) },
          logger,
        );
        if (final?.type === 'SCHEDULED') {
          const scheduled = final.state_details?.scheduled_time;
          const inSeconds = scheduled
            ? Math.max(0, Math.round((Date.parse(scheduled) - Date.now()) / 1000))
            : 0;
          logger.warning(
            `Task run failed with exception: ${describeError(error)} - Retry ${attempt}/${retries} will start ${inSeconds} second(s) from now`,
          );
          await waitForScheduledTime(final);
          await handSlotsToServer();
          const state = await proposeRunning(
            orchestrator,
            'task',
            created.id,
            { name: 'Retrying' },
            logger,
          );
          if (isFinal(state.type)) return valueOfFinalState<R>(state, logger);
          continue;
        }
        logger.error(
          `Task run failed with exception: ${describeError(error)} - ${
            retries > 0 ? 'Retries are exhausted' : 'No retries configured'
          }\n${error instanceof Error ? (error.stack ?? '') : ''}`,
        );
        logger.error(`Finished in state ${final?.name ?? 'Failed'}('${message}')`);
        throw error;
      }
    } finally {
      untrack();
    }
  };
  try {
    return await run();
  } finally {
    await slots?.release();
  }
}
