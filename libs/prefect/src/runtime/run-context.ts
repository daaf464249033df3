import { currentRunContext, enclosingFlow } from './context';
import { createRunLogger, type RunLogger } from './run-logger';
import { currentRuntime } from './runtime';

export interface RunInfo {
  readonly flowRunId: string | undefined;
  readonly flowRunName: string | undefined;
  readonly taskRunId: string | undefined;
  readonly taskRunName: string | undefined;
  readonly parameters: Readonly<Record<string, unknown>>;
  /**
   * Aborted when the current run times out, or when the process is interrupted (SIGTERM: a
   * worker cancelling the flow run) with a PrefectInterruptedError as its reason. Pass it to
   * fetch() and to work this run starts elsewhere (ECS tasks, Glue runs) so it is stopped too.
   */
  readonly signal: AbortSignal | undefined;
  readonly logger: RunLogger;
}

/** Facts about the flow or task run the caller is in (all undefined outside of runs). */
export function getRunContext(): RunInfo {
  const context = currentRunContext();
  const flow = enclosingFlow(context);
  return {
    flowRunId: flow?.flowRunId,
    flowRunName: flow?.flowRunName,
    taskRunId: context?.kind === 'task' ? context.taskRunId : undefined,
    taskRunName: context?.kind === 'task' ? context.taskRunName : undefined,
    parameters: flow?.parameters ?? {},
    signal: context?.signal,
    logger: getRunLogger(),
  };
}

/**
 * The logger of the current run: lines go to the console and to the run's logs in Prefect.
 * Outside of any run, a console-only logger.
 */
export function getRunLogger(): RunLogger {
  const context = currentRunContext();
  if (context) return context.logger;
  const runtime = currentRuntime();
  return createRunLogger({ kind: 'flow', runName: undefined }, undefined, runtime.consoleLevel);
}
