import { randomUUID } from 'node:crypto';
import type { ZodType } from 'zod';
import { PrefectError } from '../errors/prefect-error';
import {
  currentRunContext,
  enclosingFlow,
  nextDynamicKey,
  runContextStorage,
  type FlowRunContext,
} from './context';
import { proposeFinal, proposeRunning, runAttempt } from './engine';
import {
  checkNonNegativeInteger,
  checkNonNegativeSeconds,
  checkPositiveSeconds,
  checkRunName,
  mergeTags,
  taskKeyFor,
} from './keys';
import { ApiOrchestrator, type FlowRunRecord } from './orchestrator';
import { createRunLogger } from './run-logger';
import {
  currentRuntime,
  takeAdoptableFlowRunId,
  trackActiveRun,
  trackPendingReports,
} from './runtime';
import { describeError, isFinal, stateCreate, type State } from './states';
import { TaskRunReporter } from './task-run-reporter';

export type FlowParameters = Record<string, unknown>;

export interface FlowOptions<P extends FlowParameters> {
  readonly name: string;
  readonly description?: string;
  readonly version?: string;
  /** Retries of the whole flow, applied by the server's RetryFailedFlows rule (in process). */
  readonly retries?: number;
  readonly retryDelaySeconds?: number;
  /** Fail an attempt (state FAILED "TimedOut") after this many seconds. */
  readonly timeoutSeconds?: number;
  readonly tags?: readonly string[];
  /**
   * Schema of the parameters: validated before the run starts, and the source of the
   * deployment's `parameter_openapi_schema` (see `applyDeployment`).
   */
  readonly parameters?: ZodType<P>;
}

const FLOW_MARK = Symbol.for('@finks/prefect/flow');

export interface Flow<P extends FlowParameters, R> {
  (...args: FlowArguments<P>): Promise<R>;
  readonly flowName: string;
  readonly options: FlowOptions<P>;
  readonly [FLOW_MARK]: true;
}

/** A flow whose parameters are all optional may be called without arguments. */
export type FlowArguments<P extends FlowParameters> =
  Record<string, never> extends P ? [params?: P] : [params: P];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any flow, whatever its types
export type AnyFlow = Flow<any, unknown>;

export function isFlow(value: unknown): value is AnyFlow {
  return typeof value === 'function' && (value as Partial<AnyFlow>)[FLOW_MARK] === true;
}

/** Raised by a flow call whose run ended in a final state other than COMPLETED. */
export class PrefectFlowRunError extends PrefectError {
  override name = 'PrefectFlowRunError';
  readonly state: State;

  constructor(state: State) {
    super(
      'flow_failed',
      `The flow run ended in state ${state.name ?? state.type}: ${state.message ?? 'no message'}`,
    );
    this.state = state;
  }
}

/**
 * Wraps a function as a Prefect flow. With an API configured, each call creates a flow run (or
 * adopts the one a worker handed over in PREFECT__FLOW_RUN_ID), proposes RUNNING, runs the body
 * with its tasks and subflows, and proposes COMPLETED or FAILED; the server's answers decide
 * waits and retries. Without an API the same code runs locally, logging to the console.
 */
export function flow<P extends FlowParameters, R>(
  options: FlowOptions<P> | string,
  fn: (params: P) => R | Promise<R>,
): Flow<P, R> {
  const opts: FlowOptions<P> = typeof options === 'string' ? { name: options } : options;
  checkRunName('flow', opts.name);
  checkNonNegativeInteger('retries', opts.retries);
  checkNonNegativeSeconds('retryDelaySeconds', opts.retryDelaySeconds);
  checkPositiveSeconds('timeoutSeconds', opts.timeoutSeconds);
  const definition: FlowDefinition<P, R> = {
    options: opts,
    fn,
    taskKey: taskKeyFor(opts.name, fn),
  };
  const callable = (...args: FlowArguments<P>): Promise<R> =>
    runFlow(definition, (args[0] ?? {}) as P);
  return Object.assign(callable, {
    flowName: opts.name,
    options: opts,
    [FLOW_MARK]: true as const,
  });
}

interface FlowDefinition<P extends FlowParameters, R> {
  readonly options: FlowOptions<P>;
  readonly fn: (params: P) => R | Promise<R>;
  readonly taskKey: string;
}

async function runFlow<P extends FlowParameters, R>(
  definition: FlowDefinition<P, R>,
  params: P,
): Promise<R> {
  const { options } = definition;
  const runtime = currentRuntime();
  const orchestrator = runtime.orchestrator;
  const parentContext = currentRunContext();
  const parentFlow = enclosingFlow(parentContext);
  const tags = mergeTags(parentFlow?.tags, options.tags);
  const adoptId =
    parentContext === undefined && orchestrator.mode === 'api'
      ? takeAdoptableFlowRunId()
      : undefined;

  // Parameters are checked before the run exists, so that a run of ours is created in its first
  // real state: FAILED with the validation error, or RUNNING.
  let validated = params;
  let invalidParameters: { message: string; cause: unknown } | undefined;
  if (options.parameters) {
    const parsed = options.parameters.safeParse(params);
    if (parsed.success) validated = parsed.data;
    else {
      invalidParameters = {
        message: `Validation of flow parameters failed with error: ${parsed.error.message}`,
        cause: parsed.error,
      };
    }
  }

  let run: FlowRunRecord;
  if (adoptId !== undefined) {
    run = await orchestrator.readFlowRun(adoptId);
    // Like Prefect's engine: a deployment run without a retry policy takes the flow's.
    if (options.retries && !run.retries) {
      await orchestrator.setFlowRunRetries(run.id, options.retries, options.retryDelaySeconds ?? 0);
    }
  } else {
    let parentTaskRunId: string | undefined;
    if (parentFlow) {
      // A subflow shows in its parent as a task run; the server mirrors the subflow's states
      // onto it (UpdateSubflowParentTask).
      const dynamicKey = nextDynamicKey(parentFlow, definition.taskKey);
      const tracking = await orchestrator.createTaskRun({
        id: randomUUID(),
        flowRunId: parentFlow.flowRunId,
        taskKey: definition.taskKey,
        dynamicKey,
        name: `${options.name}-${dynamicKey}`,
        tags,
        retries: 0,
        retryDelaySeconds: 0,
        taskInputs:
          parentContext?.kind === 'task'
            ? { __parents__: [{ input_type: 'task_run', id: parentContext.taskRunId }] }
            : {},
        initialState: stateCreate({ type: 'PENDING' }),
      });
      parentTaskRunId = tracking.id;
    }
    // An ad-hoc run is created RUNNING rather than PENDING and then proposed RUNNING: nothing
    // in the server's flow policy can hold back a fresh run without a deployment or schedule,
    // and the global transforms (start time, run count, a subflow's parent task) still apply.
    // One request fewer on every flow call.
    run = await orchestrator.createFlowRun({
      flowName: options.name,
      parameters: params,
      tags,
      initialState: stateCreate(
        invalidParameters
          ? { type: 'FAILED', message: invalidParameters.message }
          : { type: 'RUNNING' },
      ),
      ...(options.version !== undefined ? { flowVersion: options.version } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryDelaySeconds !== undefined
        ? { retryDelaySeconds: options.retryDelaySeconds }
        : {}),
      ...(parentTaskRunId !== undefined ? { parentTaskRunId } : {}),
    });
  }

  const logger = createRunLogger(
    { kind: 'flow', runName: run.name, flowRunId: run.id },
    runtime.logSink,
    runtime.consoleLevel,
  );
  const untrack = trackActiveRun(runtime, 'flow', run.id);
  // Until the run is final, a crash reports the task runs that finished (see crashAndExit).
  let untrackReports = (): void => {};
  try {
    if (invalidParameters) {
      logger.error(invalidParameters.message);
      // An adopted run still has to be moved to FAILED; one of ours was created FAILED.
      if (adoptId !== undefined) {
        await proposeFinal(
          orchestrator,
          'flow',
          run.id,
          { type: 'FAILED', message: invalidParameters.message },
          logger,
        );
      }
      throw new PrefectError('invalid_argument', invalidParameters.message, {
        cause: invalidParameters.cause,
      });
    }

    // A run that has executed before (a rerun of a crashed deployment run) may hold task runs.
    const fresh = adoptId === undefined || run.runCount === 0;
    const started =
      adoptId === undefined && run.state?.type === 'RUNNING'
        ? run.state
        : await proposeRunning(orchestrator, 'flow', run.id, {}, logger);
    if (isFinal(started.type)) {
      if (started.type === 'COMPLETED') return undefined as R;
      throw new PrefectFlowRunError(started);
    }
    logger.info(
      `Beginning ${parentFlow ? 'subflow' : 'flow'} run '${run.name}' for flow '${options.name}'`,
    );

    for (let attempt = 1; ; attempt += 1) {
      const controller = new AbortController();
      const reporter =
        orchestrator instanceof ApiOrchestrator && fresh && attempt === 1
          ? new TaskRunReporter(orchestrator, logger, runtime.taskRunReports)
          : undefined;
      if (reporter) untrackReports = trackPendingReports(reporter);
      const context: FlowRunContext = {
        kind: 'flow',
        flowName: options.name,
        flowRunId: run.id,
        flowRunName: run.name,
        tags,
        parameters: validated,
        logger,
        signal: controller.signal,
        dynamicKeys: new Map(),
        reporter,
      };
      let outcome = await runAttempt('flow', options.timeoutSeconds, controller, () =>
        runContextStorage.run(context, async () => definition.fn(validated)),
      );
      if (outcome.interrupted) {
        // The crash handler reports the runs CRASHED and exits the process; a subflow's caller
        // learns why, the outermost flow waits for the exit (a rejection there could end the
        // process before CRASHED is sent).
        if (parentContext) throw outcome.interrupted;
        return await new Promise<never>(() => undefined);
      }
      // Every task run of this attempt is handed to the server (as events, or answered through
      // set_state) with or before the flow run's final state; a report the server refused
      // fails the flow run even though its body succeeded.
      let completion: Promise<State | undefined> | undefined;
      if (outcome.ok && reporter?.eventsAccepted()) {
        // The server has taken this client's task run events before: the last batch goes out
        // together with the COMPLETED proposal, one round trip instead of two. Should it be
        // refused after all, the run is forced to FAILED below.
        completion = proposeFinal(orchestrator, 'flow', run.id, { type: 'COMPLETED' }, logger);
        await Promise.all([completion, reporter.drainAlongsideCompletion()]);
      } else {
        await reporter?.drain();
      }
      const refused = reporter?.problemError();
      if (outcome.ok && refused && completion) {
        await completion;
        logger.error(refused.message);
        await orchestrator.setState(
          'flow',
          run.id,
          stateCreate({ type: 'FAILED', message: refused.message }),
          true,
        );
        throw refused;
      }
      if (outcome.ok && refused) outcome = { ok: false, error: refused, timedOut: false };

      if (outcome.ok) {
        const final = await (completion ??
          proposeFinal(orchestrator, 'flow', run.id, { type: 'COMPLETED' }, logger));
        logger.info(`Finished in state ${final?.name ?? 'Completed'}()`);
        if (final && final.type !== 'COMPLETED' && isFinal(final.type)) {
          throw new PrefectFlowRunError(final);
        }
        return outcome.value as R;
      }

      const message = outcome.timedOut
        ? (outcome.error as Error).message
        : `Flow run encountered an exception: ${describeError(outcome.error)}`;
      logger.error(
        message + (outcome.error instanceof Error ? `\n${outcome.error.stack ?? ''}` : ''),
      );
      const final = await proposeFinal(
        orchestrator,
        'flow',
        run.id,
        { type: 'FAILED', message, ...(outcome.timedOut ? { name: 'TimedOut' } : {}) },
        logger,
      );
      if (final?.type === 'SCHEDULED') {
        await reporter?.whenRecorded();
        logger.info(
          `Received non-final state '${final.name ?? 'Scheduled'}' when proposing final state '${
            outcome.timedOut ? 'TimedOut' : 'Failed'
          }' and will attempt to run again...`,
        );
        // Prefect's Python engine proposes a plain "Running" here; naming it "Retrying" (as the
        // server names task retries) makes the retry visible in the UI's state history.
        const restarted = await proposeRunning(
          orchestrator,
          'flow',
          run.id,
          { name: 'Retrying' },
          logger,
        );
        if (isFinal(restarted.type)) throw new PrefectFlowRunError(restarted);
        continue;
      }
      logger.error(`Finished in state ${final?.name ?? 'Failed'}('${message}')`);
      throw outcome.error;
    }
  } finally {
    untrackReports();
    untrack();
    // As in Prefect's Python engine, a flow returns once its final state is accepted and its
    // last log lines follow in the background: the request in flight keeps the process alive,
    // and flushPrefectLogs() waits for it (before a process.exit(), or to read the logs back).
    if (!parentContext) void runtime.flushLogs();
  }
}
