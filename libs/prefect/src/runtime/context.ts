import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunLogger } from './run-logger';
import type { TaskRunReporter } from './task-run-reporter';

export interface FlowRunContext {
  readonly kind: 'flow';
  readonly flowName: string;
  readonly flowRunId: string;
  readonly flowRunName: string;
  readonly tags: readonly string[];
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly logger: RunLogger;
  /** Aborted when the flow run times out. */
  readonly signal: AbortSignal;
  /**
   * Next `dynamic_key` per `task_key`, counted from 0 for each execution attempt of the flow:
   * a flow retry replays the same keys and so finds the task runs of the previous attempt.
   */
  readonly dynamicKeys: Map<string, number>;
  /**
   * Set when no task run of this attempt can exist yet (a new run, first attempt): task runs
   * that succeed at once are then recorded after the fact, in batches. Undefined on retries and
   * reruns, where a task call may meet the task run of an earlier attempt and must wait for the
   * server, and without an API.
   */
  readonly reporter: TaskRunReporter | undefined;
}

export interface TaskRunContext {
  readonly kind: 'task';
  readonly flow: FlowRunContext | undefined;
  readonly taskName: string;
  readonly taskRunId: string;
  readonly taskRunName: string;
  readonly tags: readonly string[];
  readonly logger: RunLogger;
  /** Aborted when the task run times out: pass it to fetch() and friends. */
  readonly signal: AbortSignal;
}

export type RunContext = FlowRunContext | TaskRunContext;

export const runContextStorage = new AsyncLocalStorage<RunContext>();

export function currentRunContext(): RunContext | undefined {
  return runContextStorage.getStore();
}

export function enclosingFlow(context: RunContext | undefined): FlowRunContext | undefined {
  if (!context) return undefined;
  return context.kind === 'flow' ? context : context.flow;
}

export function nextDynamicKey(flow: FlowRunContext, taskKey: string): string {
  const next = flow.dynamicKeys.get(taskKey) ?? 0;
  flow.dynamicKeys.set(taskKey, next + 1);
  return String(next);
}
