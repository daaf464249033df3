import { setTimeout as sleep } from 'node:timers/promises';
import { PrefectError } from '../errors/prefect-error';
import {
  currentInterruption,
  trackRunningBody,
  type PrefectInterruptedError,
} from './interruption';
import type { Orchestrator, RunKind } from './orchestrator';
import type { RunLogger } from './run-logger';
import {
  isFinal,
  stateCreate,
  type OrchestrationResult,
  type State,
  type StateSpec,
} from './states';

/** The server ABORTed a transition: this process must stop handling the run. */
export class PrefectOrchestrationAbort extends PrefectError {
  override name = 'PrefectOrchestrationAbort';
  readonly runId: string;

  constructor(kind: RunKind, runId: string, reason: string | null | undefined) {
    super(
      'orchestration',
      `Prefect aborted the ${kind} run ${runId}: ${reason ?? 'no reason given'}`,
    );
    this.runId = runId;
  }
}

/** A run exceeded its `timeoutSeconds`; its FAILED state is named "TimedOut". */
export class PrefectTimeoutError extends PrefectError {
  override name = 'PrefectTimeoutError';

  constructor(kind: RunKind, seconds: number) {
    super(
      'timeout',
      `${kind === 'flow' ? 'Flow' : 'Task'} run exceeded timeout of ${seconds} second(s)`,
    );
  }
}

function delayUntil(state: State, fallbackMs: number): number {
  const scheduled = state.state_details?.scheduled_time;
  if (!scheduled) return fallbackMs;
  return Math.max(0, Date.parse(scheduled) - Date.now());
}

function waitSeconds(details: OrchestrationResult['details']): number {
  return 'delay_seconds' in details && typeof details.delay_seconds === 'number'
    ? details.delay_seconds
    : 1;
}

/**
 * Proposes RUNNING until the server lets the run start, and returns the state it ends in:
 * RUNNING (go), or a final state the server answered with instead (a cache hit "Cached", a run
 * that already completed). WAIT sleeps the given delay and proposes again; a REJECT to
 * SCHEDULED (AwaitingRetry, AwaitingConcurrencySlot) waits until the scheduled time; a REJECT to
 * PENDING is retried shortly (Prefect's engine does the same); ABORT throws.
 */
export async function proposeRunning(
  orchestrator: Orchestrator,
  kind: RunKind,
  id: string,
  spec: Omit<StateSpec, 'type'>,
  logger: RunLogger,
): Promise<State> {
  for (let attempt = 0; ; attempt += 1) {
    const result = await orchestrator.setState(kind, id, stateCreate({ ...spec, type: 'RUNNING' }));
    const state = result.state;
    if (result.status === 'ABORT') {
      throw new PrefectOrchestrationAbort(
        kind,
        id,
        'reason' in result.details ? result.details.reason : undefined,
      );
    }
    if (result.status === 'WAIT') {
      const seconds = waitSeconds(result.details);
      logger.debug(`Waiting ${seconds} second(s) before proposing RUNNING again.`);
      await sleep(Math.max(100, seconds * 1000));
      continue;
    }
    if (!state) throw new PrefectOrchestrationAbort(kind, id, 'the server returned no state');
    if (result.status === 'ACCEPT' || state.type === 'RUNNING' || isFinal(state.type)) return state;
    if (state.type === 'SCHEDULED') {
      logger.info(`Waiting for state '${state.name ?? 'Scheduled'}' to reach its scheduled time.`);
      await sleep(Math.max(100, delayUntil(state, 1_000)));
      continue;
    }
    if (state.type === 'PENDING') {
      await sleep(Math.min(200 * 2 ** attempt, 2_000));
      continue;
    }
    throw new PrefectOrchestrationAbort(
      kind,
      id,
      `RUNNING was rejected with state ${state.type} (${state.name ?? ''})`,
    );
  }
}

/**
 * Proposes a final state (COMPLETED or FAILED). Returns the state the run is in afterwards:
 * the proposed one, a SCHEDULED "AwaitingRetry" when the server wants a retry, or whatever it
 * kept instead. ABORT (e.g. the run was cancelled meanwhile) returns undefined.
 */
export async function proposeFinal(
  orchestrator: Orchestrator,
  kind: RunKind,
  id: string,
  spec: StateSpec,
  logger: RunLogger,
): Promise<State | undefined> {
  for (;;) {
    const result = await orchestrator.setState(kind, id, stateCreate(spec));
    if (result.status === 'WAIT') {
      await sleep(Math.max(100, waitSeconds(result.details) * 1000));
      continue;
    }
    if (result.status === 'ABORT') {
      const reason = 'reason' in result.details ? result.details.reason : undefined;
      logger.warning(`Prefect aborted the ${spec.type} transition: ${reason ?? 'no reason given'}`);
      return undefined;
    }
    return result.state ?? undefined;
  }
}

/** Sleeps until a SCHEDULED (AwaitingRetry) state's time. */
export async function waitForScheduledTime(state: State): Promise<void> {
  const ms = delayUntil(state, 0);
  if (ms > 0) await sleep(ms);
}

export interface Attempt<R> {
  readonly ok: boolean;
  readonly value?: R;
  readonly error?: unknown;
  readonly timedOut: boolean;
  /**
   * Set when the attempt failed while the process is being interrupted: the crash handler
   * reports the run CRASHED, so the engine neither reports it nor retries it.
   */
  readonly interrupted?: PrefectInterruptedError;
}

/**
 * Runs one attempt of a flow or task body, racing it against its timeout. JavaScript cannot
 * stop a running promise: on timeout the signal handed to the body is aborted and the attempt
 * fails at once, whether or not the body notices. The signal is aborted too when the process is
 * interrupted (interruption.ts), and the body is tracked so the crash handler can wait for it.
 */
export async function runAttempt<R>(
  kind: RunKind,
  timeoutSeconds: number | undefined,
  controller: AbortController,
  body: () => Promise<R>,
): Promise<Attempt<R>> {
  // Nothing new starts once the process is being interrupted (a flow that goes on after a
  // failed step would otherwise start its next ECS task during the crash handler's grace).
  const before = currentInterruption();
  if (before !== undefined)
    return { ok: false, error: before, timedOut: false, interrupted: before };
  let timer: NodeJS.Timeout | undefined;
  let untrack: (() => void) | undefined;
  try {
    const work = body();
    // After a timeout the abandoned body may still reject; that must not surface as an
    // unhandled rejection (which would crash the process).
    work.catch(() => undefined);
    untrack = trackRunningBody(controller, work);
    const value =
      timeoutSeconds === undefined
        ? await work
        : await Promise.race([
            work,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                const error = new PrefectTimeoutError(kind, timeoutSeconds);
                controller.abort(error);
                reject(error);
              }, timeoutSeconds * 1000);
            }),
          ]);
    return { ok: true, value, timedOut: false };
  } catch (error) {
    const interrupted = currentInterruption();
    if (interrupted !== undefined)
      return { ok: false, error: interrupted, timedOut: false, interrupted };
    return { ok: false, error, timedOut: error instanceof PrefectTimeoutError };
  } finally {
    if (timer) clearTimeout(timer);
    untrack?.();
  }
}
