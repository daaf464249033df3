import { createPrefectClient, type PrefectClient } from '../client/client';
import { prefectSettingsFromEnv, type PrefectClientSettings } from '../client/settings';
import { interruptRunningBodies } from './interruption';
import { LogShipper, type LogShipperOptions } from './log-shipper';
import {
  ApiOrchestrator,
  LocalOrchestrator,
  type Orchestrator,
  type RunKind,
} from './orchestrator';
import { consoleLevelFromEnv, type LogSink } from './run-logger';
import { stateCreate } from './states';
import type { TaskRunReporterOptions } from './task-run-reporter';

export interface PrefectRuntimeOptions {
  /**
   * The API to report to. Omitted: PREFECT_API_URL (and PREFECT_API_AUTH_STRING) from the
   * environment; `false`: run locally with console output only, whatever the environment says.
   */
  readonly api?: PrefectClientSettings | PrefectClient | false;
  /** Console threshold as a Python level number (default: PREFECT_LOGGING_LEVEL or INFO). */
  readonly consoleLevel?: number;
  readonly logs?: LogShipperOptions;
  /**
   * Mark the runs in progress CRASHED when the process gets SIGTERM/SIGINT or an uncaught
   * exception, then exit (default true). Turn off if the host application owns those signals.
   */
  readonly handleProcessCrashes?: boolean;
  /** Batching of task runs recorded after the fact (see `TaskRunReporter`). */
  readonly taskRunReports?: TaskRunReporterOptions;
}

export interface PrefectRuntime {
  readonly orchestrator: Orchestrator;
  readonly client: PrefectClient | undefined;
  readonly logSink: LogSink | undefined;
  readonly consoleLevel: number;
  flushLogs(): Promise<void>;
  readonly handleProcessCrashes: boolean;
  readonly taskRunReports: TaskRunReporterOptions;
}

let configured: PrefectRuntime | undefined;

function isClient(value: PrefectClientSettings | PrefectClient): value is PrefectClient {
  return 'api' in value && 'stats' in value;
}

function buildRuntime(options: PrefectRuntimeOptions): PrefectRuntime {
  const consoleLevel = options.consoleLevel ?? consoleLevelFromEnv();
  const apiOption = options.api === undefined ? prefectSettingsFromEnv() : options.api;
  const handleProcessCrashes = options.handleProcessCrashes ?? true;
  if (!apiOption) {
    return {
      orchestrator: new LocalOrchestrator(),
      client: undefined,
      logSink: undefined,
      consoleLevel,
      flushLogs: async () => {},
      handleProcessCrashes,
      taskRunReports: options.taskRunReports ?? {},
    };
  }
  const client = isClient(apiOption) ? apiOption : createPrefectClient(apiOption);
  const shipper = new LogShipper(client, options.logs);
  return {
    orchestrator: new ApiOrchestrator(client),
    client,
    logSink: shipper,
    consoleLevel,
    flushLogs: () => shipper.flush(),
    handleProcessCrashes,
    taskRunReports: options.taskRunReports ?? {},
  };
}

/**
 * Chooses where flows report. Without a call, the first flow reads PREFECT_API_URL; with none
 * set, flows run locally. Call again (e.g. between tests) to switch; queued logs of the
 * previous runtime are flushed first.
 */
export async function configurePrefectRuntime(
  options: PrefectRuntimeOptions = {},
): Promise<PrefectRuntime> {
  await configured?.flushLogs();
  configured = buildRuntime(options);
  return configured;
}

/**
 * Resolves once every log line written so far has been delivered to the API (or given up on).
 * A flow returns before its last lines are delivered, as Prefect's Python flows do; call this
 * before `process.exit()` or before reading a run's logs back in the same process.
 */
export async function flushPrefectLogs(): Promise<void> {
  await configured?.flushLogs();
}

export function currentRuntime(): PrefectRuntime {
  configured ??= buildRuntime({});
  return configured;
}

let adoptableFlowRunTaken = false;

/**
 * The flow run a worker handed to this process through PREFECT__FLOW_RUN_ID (Prefect's own
 * variable), once: only the first top-level flow call adopts it.
 */
export function takeAdoptableFlowRunId(): string | undefined {
  const id = process.env['PREFECT__FLOW_RUN_ID']?.trim();
  if (!id || adoptableFlowRunTaken) return undefined;
  adoptableFlowRunTaken = true;
  return id;
}

interface ActiveRun {
  readonly kind: RunKind;
  readonly id: string;
  readonly orchestrator: Orchestrator;
}

const activeRuns = new Map<string, ActiveRun>();

/** What a crash handler can still send for runs in progress: task runs that already finished. */
interface PendingReports {
  drain(): Promise<void>;
}
const pendingReports = new Set<PendingReports>();

/**
 * Registers the task run reports of a flow attempt in progress, so that a crash (SIGTERM,
 * SIGINT, an uncaught exception) sends the finished task runs before CRASHED instead of
 * losing them; the returned function unregisters it.
 */
export function trackPendingReports(reports: PendingReports): () => void {
  pendingReports.add(reports);
  return () => {
    pendingReports.delete(reports);
  };
}
let crashHandlersInstalled = false;
let crashing = false;

/** Registers a run in progress; the returned function unregisters it. */
export function trackActiveRun(runtime: PrefectRuntime, kind: RunKind, id: string): () => void {
  activeRuns.set(id, { kind, id, orchestrator: runtime.orchestrator });
  if (runtime.orchestrator.mode === 'api' && runtime.handleProcessCrashes) installCrashHandlers();
  return () => {
    activeRuns.delete(id);
    if (activeRuns.size === 0) removeCrashHandlers();
  };
}

const onSignal = (signal: NodeJS.Signals): void => {
  void crashAndExit(`Execution was interrupted by ${signal}.`, signal === 'SIGINT' ? 130 : 143);
};
const onUncaught = (error: unknown): void => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  void crashAndExit(
    `Execution was interrupted by an unexpected exception: ${
      error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    }`,
    1,
  );
};

function installCrashHandlers(): void {
  if (crashHandlersInstalled) return;
  crashHandlersInstalled = true;
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', onUncaught);
}

function removeCrashHandlers(): void {
  if (!crashHandlersInstalled || crashing) return;
  crashHandlersInstalled = false;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  process.off('uncaughtException', onUncaught);
}

/**
 * How long the bodies of the runs in progress may take to stop their work once their signals
 * are aborted, of the 10 s the crash handler has (a worker's default grace before SIGKILL).
 */
const INTERRUPT_GRACE_MS = 4_000;

/**
 * Aborts the signals of the runs in progress, lets their bodies clean up (INTERRUPT_GRACE_MS),
 * proposes CRASHED for every one of them, then exits. Without `force`, on purpose: a run a
 * worker is cancelling (CANCELLING) must end CANCELLED, and the server rejects anything else
 * from CANCELLING; a run that already finished is left alone (terminal → CRASHED is aborted).
 */
async function crashAndExit(message: string, exitCode: number): Promise<void> {
  if (crashing) return;
  crashing = true;
  // Taken before the bodies are interrupted: a subflow that ends on it unregisters itself.
  const runs = [...activeRuns.values()].reverse();
  const reports = [...pendingReports];
  const deadline = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
  await Promise.race([
    // The bodies learn first (their signals abort), so they can stop what they started outside
    // this process: an ECS task, a Glue job run, a child process.
    interruptRunningBodies(message, INTERRUPT_GRACE_MS)
      // Task runs that finished before the crash are reported next: they did complete.
      .then(() => Promise.allSettled(reports.map((pending) => pending.drain())))
      .then(() =>
        Promise.allSettled(
          runs.map((run) =>
            run.orchestrator.setState(run.kind, run.id, stateCreate({ type: 'CRASHED', message })),
          ),
        ),
      )
      .then(() => currentRuntime().flushLogs()),
    deadline,
  ]);
  process.exit(exitCode);
}
