import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createPrefectClient,
  unwrap,
  unwrapOptional,
  type PrefectClient,
  type PrefectSchemas,
} from '../client/client';
import { prefectSettingsFromEnv, type PrefectClientSettings } from '../client/settings';
import { PrefectApiError } from '../errors/prefect-api-error';
import { PrefectConfigurationError } from '../errors/prefect-configuration-error';
import { LogShipper } from '../runtime/log-shipper';
import { createRunLogger, LOG_LEVELS, type RunLogger } from '../runtime/run-logger';
import {
  isFinal,
  stateCreate,
  type OrchestrationResult,
  type StateCreate,
} from '../runtime/states';
import type { FlowRunAssignment } from './entrypoint';
import { FINKS_WORKER_TYPE, finksBaseJobTemplate, resolveJobConfiguration } from './job-template';
import { startTimeVariablesChanged } from './start-time-env';

type FlowRun = PrefectSchemas['FlowRun'];

export interface WorkerOptions {
  /** Work pool to serve; created (type `finks-node`, our base job template) when missing. */
  readonly pool: string;
  /** Worker name shown in the UI (default `finks-worker-<host>-<pid>`). */
  readonly name?: string;
  /** Omitted: PREFECT_API_URL / PREFECT_API_AUTH_STRING from the environment. */
  readonly api?: PrefectClientSettings | PrefectClient;
  /** Only these queues of the pool (default: all). */
  readonly workQueues?: readonly string[];
  /** Seconds between polls for scheduled runs (default 2; Prefect's worker uses 10). */
  readonly pollIntervalSeconds?: number;
  /** Claim runs scheduled up to this many seconds ahead; they start at their time (default 2). */
  readonly prefetchSeconds?: number;
  /** Seconds between heartbeats, which also re-read the pool (default 30, as Prefect). */
  readonly heartbeatIntervalSeconds?: number;
  /** Seconds between checks for CANCELLING runs among those this worker runs (default 2). */
  readonly cancellationPollSeconds?: number;
  /** Flow runs this worker runs at once (default: no limit, as Prefect). */
  readonly concurrencyLimit?: number;
  /** On stop/SIGTERM, how long running flows may finish before they are terminated (default 60). */
  readonly shutdownGraceSeconds?: number;
  /** Keep one flow process started ahead of time to cut pickup latency (default true). */
  readonly warmStandby?: boolean;
  /** Forward the flow processes' stdout/stderr to this process's (default true). */
  readonly streamOutput?: boolean;
  /** Console threshold for the worker's own lines (default INFO). */
  readonly consoleLevel?: number;
}

interface Slot {
  readonly flowRunId: string;
  flowRunName: string;
  child: ChildProcess | undefined;
  cancelRequested: boolean;
  killTimer: NodeJS.Timeout | undefined;
  terminationGraceSeconds: number;
  readonly logger: RunLogger;
}

export interface WorkerStats {
  /** Runs this worker claimed (PENDING accepted) and started. */
  submitted: number;
  /** Claims the server refused because another worker (or state) got there first. */
  claimsLost: number;
  /** Runs this worker reported CRASHED or CANCELLED after their process ended. */
  crashed: number;
  cancelled: number;
}

const FLOW_RUN_ENTRY = fileURLToPath(new URL('./flow-run-entry.ts', import.meta.url));

function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

function isClient(value: PrefectClientSettings | PrefectClient): value is PrefectClient {
  return 'api' in value && 'stats' in value;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A Prefect worker for TypeScript flows: the shape of Prefect's process worker
 * (`src/prefect/workers/base.py`) — heartbeat ‖ poll → claim (PENDING) → Submitting → child
 * process → infrastructure_pid → watch the exit (CRASHED when abnormal) ‖ cancellation watcher.
 */
export class Worker {
  readonly name: string;
  readonly pool: string;
  readonly client: PrefectClient;
  readonly stats: WorkerStats = { submitted: 0, claimsLost: 0, crashed: 0, cancelled: 0 };
  private readonly options: WorkerOptions;
  private readonly slots = new Map<string, Slot>();
  private readonly settled = new Set<Promise<void>>();
  private readonly logShipper: LogShipper;
  private readonly stopPolling = new AbortController();
  private readonly stopAll = new AbortController();
  private baseJobTemplate: unknown = finksBaseJobTemplate();
  private loops: Promise<void>[] = [];
  private stopping: Promise<void> | undefined;
  private markStopped: () => void = () => undefined;
  private spare: ChildProcess | undefined;
  private spareReady = false;
  /** Resolves once stop() has finished (e.g. after SIGTERM in `runWorker`). */
  readonly stopped: Promise<void> = new Promise((resolve) => {
    this.markStopped = resolve;
  });
  private readonly consoleLevel: number;
  private readonly authString: string | undefined;

  constructor(options: WorkerOptions) {
    this.options = options;
    this.pool = options.pool;
    this.name = options.name ?? `finks-worker-${hostname()}-${process.pid}`;
    const api = options.api ?? prefectSettingsFromEnv();
    if (!api) {
      throw new PrefectConfigurationError(
        'The worker needs a Prefect API: set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api).',
      );
    }
    this.client = isClient(api) ? api : createPrefectClient(api);
    this.authString = isClient(api) ? process.env['PREFECT_API_AUTH_STRING'] : api.authString;
    this.logShipper = new LogShipper(this.client);
    this.consoleLevel = options.consoleLevel ?? LOG_LEVELS.info;
  }

  /** Flow runs whose processes this worker currently supervises (or is starting). */
  get activeFlowRunIds(): string[] {
    return [...this.slots.keys()];
  }

  /**
   * Creates the pool if needed and starts the loops. Resolves once the pool is set up; keeps
   * retrying (the API may still be starting) until it is, or until stop() is called.
   */
  async start(): Promise<void> {
    for (let attempt = 0; !this.stopPolling.signal.aborted; attempt += 1) {
      try {
        await this.sync();
        break;
      } catch (error) {
        const delay = Math.min(1_000 * 2 ** attempt, 10_000);
        this.log(
          LOG_LEVELS.warning,
          `Cannot set up pool '${this.pool}' yet (${errorText(error)}); retrying in ${delay} ms.`,
        );
        await this.pause(delay, this.stopPolling.signal);
      }
    }
    if (this.stopPolling.signal.aborted) return;
    this.log(LOG_LEVELS.info, `Worker '${this.name}' started, polling pool '${this.pool}'.`);
    this.spawnSpare();
    const seconds = (value: number | undefined, fallback: number): number =>
      (value ?? fallback) * 1000;
    this.loops = [
      this.loop(seconds(this.options.pollIntervalSeconds, 2), this.stopPolling.signal, () =>
        this.poll(),
      ),
      this.loop(seconds(this.options.heartbeatIntervalSeconds, 30), this.stopAll.signal, () =>
        this.sync(),
      ),
      this.loop(seconds(this.options.cancellationPollSeconds, 2), this.stopAll.signal, () =>
        this.checkCancellations(),
      ),
    ];
  }

  /**
   * Graceful stop: no more polling; running flows may finish for `graceSeconds`, then they get
   * SIGTERM (and SIGKILL after their grace period) and are reported CRASHED if they did not
   * report a final state themselves.
   */
  stop(graceSeconds: number = this.options.shutdownGraceSeconds ?? 60): Promise<void> {
    this.stopping ??= (async () => {
      this.log(
        LOG_LEVELS.info,
        `Stopping: waiting up to ${graceSeconds} s for ${this.slots.size} flow run(s).`,
      );
      this.stopPolling.abort();
      this.spare?.kill('SIGTERM');
      this.spare = undefined;
      const deadline = Date.now() + graceSeconds * 1000;
      while (this.slots.size > 0 && Date.now() < deadline) await sleep(100);
      for (const slot of this.slots.values()) {
        slot.logger.warning(`Worker '${this.name}' is shutting down; terminating the flow run.`);
        this.terminate(slot);
      }
      await Promise.allSettled([...this.settled]);
      this.stopAll.abort();
      await Promise.allSettled(this.loops);
      await this.logShipper.flush();
      this.log(LOG_LEVELS.info, `Worker '${this.name}' stopped.`);
      this.markStopped();
    })();
    return this.stopping;
  }

  private log(level: number, message: string): void {
    if (level < this.consoleLevel) return;
    const label = Object.entries(LOG_LEVELS).find(([, value]) => value === level)?.[0] ?? 'info';
    process.stderr.write(
      `${new Date().toISOString().slice(11, 23)} | ${label.toUpperCase().padEnd(7)} | Worker '${this.name}' - ${message}\n`,
    );
  }

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, undefined, { signal });
    } catch {
      // Aborted: the caller checks the signal.
    }
  }

  private async loop(
    intervalMs: number,
    signal: AbortSignal,
    body: () => Promise<void>,
  ): Promise<void> {
    while (!signal.aborted) {
      try {
        await body();
      } catch (error) {
        this.log(LOG_LEVELS.warning, `Prefect API call failed (${errorText(error)}); will retry.`);
      }
      await this.pause(intervalMs, signal);
    }
  }

  /** Reads the pool (creating it when missing), then heartbeats; as Prefect's sync loop. */
  private async sync(): Promise<void> {
    const { api } = this.client;
    let pool = await unwrapOptional(
      api.GET('/work_pools/{name}', { params: { path: { name: this.pool } } }),
    );
    if (!pool) {
      try {
        pool = await unwrap(
          api.POST('/work_pools/', {
            body: {
              name: this.pool,
              type: FINKS_WORKER_TYPE,
              base_job_template: finksBaseJobTemplate() as unknown as Record<string, unknown>,
              description: 'TypeScript flows run by finks-worker (libs/prefect).',
            },
          }),
        );
        this.log(LOG_LEVELS.info, `Created work pool '${this.pool}' (type ${FINKS_WORKER_TYPE}).`);
      } catch (error) {
        // Another worker created it between our read and our create.
        if (!(error instanceof PrefectApiError && error.status === 409)) throw error;
        pool = await unwrap(
          api.GET('/work_pools/{name}', { params: { path: { name: this.pool } } }),
        );
      }
    }
    this.baseJobTemplate = pool.base_job_template;
    await unwrap(
      api.POST('/work_pools/{work_pool_name}/workers/heartbeat', {
        params: { path: { work_pool_name: this.pool } },
        body: {
          name: this.name,
          heartbeat_interval_seconds: this.options.heartbeatIntervalSeconds ?? 30,
        },
      }),
    );
  }

  private async poll(): Promise<void> {
    const limit = this.options.concurrencyLimit ?? Number.POSITIVE_INFINITY;
    const free = Math.min(limit - this.slots.size, 200);
    if (free <= 0) return;
    const prefetchMs = (this.options.prefetchSeconds ?? 2) * 1000;
    const responses = await unwrap(
      this.client.api.POST('/work_pools/{name}/get_scheduled_flow_runs', {
        params: { path: { name: this.pool } },
        body: {
          scheduled_before: new Date(Date.now() + prefetchMs).toISOString(),
          limit: free,
          ...(this.options.workQueues ? { work_queue_names: [...this.options.workQueues] } : {}),
        },
      }),
    );
    for (const { flow_run: run } of responses) {
      if (this.stopPolling.signal.aborted || this.slots.size >= limit) break;
      if (this.slots.has(run.id)) continue;
      const slot: Slot = {
        flowRunId: run.id,
        flowRunName: run.name ?? run.id,
        child: undefined,
        cancelRequested: false,
        killTimer: undefined,
        terminationGraceSeconds: 10,
        logger: createRunLogger(
          { kind: 'flow', runName: run.name ?? run.id, flowRunId: run.id },
          this.logShipper,
          this.consoleLevel,
        ),
      };
      this.slots.set(run.id, slot);
      const done: Promise<void> = this.submit(run, slot)
        .catch((error: unknown) => {
          this.log(LOG_LEVELS.error, `Flow run ${run.id}: ${errorText(error)}`);
        })
        .finally(() => {
          // Release the slot on every path, or an aborted claim would lock the worker
          // (PrefectHQ/prefect#15952).
          this.slots.delete(run.id);
          this.settled.delete(done);
        });
      this.settled.add(done);
    }
  }

  /**
   * Sends a state proposal until the server answers. The body (and its transition_id) stays the
   * same across attempts, so a proposal that was applied but whose answer was lost comes back
   * as "already made this transition" instead of being applied twice (PrefectHQ/prefect#10263).
   */
  private async proposeUntilAnswered(
    flowRunId: string,
    state: StateCreate,
    force = false,
  ): Promise<OrchestrationResult> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await unwrap(
          this.client.api.POST('/flow_runs/{id}/set_state', {
            params: { path: { id: flowRunId } },
            body: { state, force },
          }),
        );
      } catch (error) {
        if (error instanceof PrefectApiError && error.status < 500 && error.status !== 408)
          throw error;
        if (this.stopAll.signal.aborted) throw error;
        this.log(
          LOG_LEVELS.warning,
          `Could not set ${state.type} on flow run ${flowRunId} (${errorText(error)}); retrying.`,
        );
        await this.pause(Math.min(1_000 * 2 ** attempt, 10_000), this.stopAll.signal);
      }
    }
  }

  /** Proposes PENDING: the server lets exactly one worker have it (PreventPendingTransitions). */
  private async claim(run: FlowRun, slot: Slot): Promise<boolean> {
    const proposal = stateCreate({ type: 'PENDING' });
    const result = await this.proposeUntilAnswered(run.id, proposal);
    const ours =
      result.status === 'ACCEPT' ||
      (result.state?.type === 'PENDING' &&
        result.state.state_details?.transition_id === proposal.state_details?.transition_id);
    if (!ours) {
      this.stats.claimsLost += 1;
      const reason = 'reason' in result.details ? result.details.reason : undefined;
      this.log(
        LOG_LEVELS.info,
        `Aborted submission of flow run '${slot.flowRunName}': ${result.status} (${reason ?? result.state?.type ?? 'no reason'}).`,
      );
    }
    return ours;
  }

  private async submit(run: FlowRun, slot: Slot): Promise<void> {
    const { api } = this.client;
    // The deployment is read while the claim is in flight: one round trip less before the
    // flow's process gets its run.
    const [deployment, claimed] = await Promise.all([
      run.deployment_id ? this.readDeployment(run.deployment_id) : Promise.resolve(undefined),
      this.claim(run, slot),
    ]);
    if (!claimed) return;
    if (run.deployment_id && !deployment) {
      await this.proposeUntilAnswered(
        run.id,
        stateCreate({
          type: 'CANCELLED',
          name: 'Cancelled',
          message: `Deployment ${run.deployment_id} no longer exists, cancelled run.`,
        }),
        true,
      );
      return;
    }
    if (!deployment?.entrypoint) {
      await this.reportCrashed(slot, 'The flow run has no deployment entrypoint to run.');
      return;
    }
    // Best effort, as in Prefect: the name shows progress in the UI; the claim already holds.
    await this.proposeUntilAnswered(
      run.id,
      stateCreate({ type: 'PENDING', name: 'Submitting' }),
    ).catch(() => undefined);

    const config = resolveJobConfiguration(
      this.baseJobTemplate,
      deployment.job_variables,
      run.job_variables,
    );
    slot.terminationGraceSeconds = config.terminationGraceSeconds;
    const cwd = config.workingDir ?? deployment.path ?? process.cwd();
    let child: ChildProcess;
    try {
      // Node arguments and variables Node reads only at start (NODE_OPTIONS, UV_THREADPOOL_SIZE,
      // …) cannot reach a process that is already running: those runs get a fresh one.
      const fresh =
        config.nodeArgs.length > 0 ||
        startTimeVariablesChanged(config.env, this.childEnv()).length > 0;
      const spare = fresh ? undefined : this.takeSpare();
      if (spare) {
        const assignment: FlowRunAssignment = {
          flowRunId: run.id,
          entrypoint: deployment.entrypoint,
          env: config.env,
          cwd,
          parameters: { ...(run.parameters ?? {}) },
        };
        // If the hand-over fails the process would wait forever: kill it, and the exit
        // handling below reports the run CRASHED.
        spare.send(assignment, (error) => {
          if (error) spare.kill('SIGKILL');
        });
        child = spare;
      } else {
        child = spawn(
          process.execPath,
          [...config.nodeArgs, '--import', tsxLoaderUrl(), FLOW_RUN_ENTRY, deployment.entrypoint],
          {
            cwd,
            env: { ...this.childEnv(), ...config.env, PREFECT__FLOW_RUN_ID: run.id },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
      }
      this.spawnSpare();
    } catch (error) {
      await this.reportCrashed(
        slot,
        `Failed to submit flow run to infrastructure: ${errorText(error)}`,
      );
      return;
    }
    slot.child = child;
    const tail = this.captureOutput(child);
    const exited = new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      error?: Error;
    }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.stats.submitted += 1;

    if (child.pid !== undefined) {
      await unwrap(
        api.PATCH('/flow_runs/{id}', {
          params: { path: { id: run.id } },
          body: { infrastructure_pid: `${hostname()}:${child.pid}` },
        }),
      ).catch((error: unknown) => {
        slot.logger.warning(
          `Could not record infrastructure_pid (${errorText(error)}); the run cannot be cancelled by pid.`,
        );
      });
      slot.logger.info(
        `Worker '${this.name}' submitted flow run '${slot.flowRunName}' (pid ${child.pid}).`,
      );
    }

    const exit = await exited;
    if (slot.killTimer) clearTimeout(slot.killTimer);
    await this.afterExit(slot, exit, tail);
  }

  private childEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PREFECT_API_URL: this.client.apiUrl,
      ...(this.authString ? { PREFECT_API_AUTH_STRING: this.authString } : {}),
    };
  }

  /**
   * Keeps one flow process started ahead of time (see flow-run-entry.ts, `--standby`), so that
   * a claimed run does not wait for Node and tsx to start.
   */
  private spawnSpare(): void {
    if ((this.options.warmStandby ?? true) === false || this.stopPolling.signal.aborted) return;
    if (this.spare && this.spare.exitCode === null && this.spare.signalCode === null) return;
    const spare = spawn(
      process.execPath,
      ['--import', tsxLoaderUrl(), FLOW_RUN_ENTRY, '--standby'],
      {
        env: this.childEnv(),
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    this.spare = spare;
    this.spareReady = false;
    spare.on('error', () => undefined);
    spare.once('message', () => {
      if (this.spare === spare) this.spareReady = true;
    });
    spare.once('exit', () => {
      if (this.spare === spare) this.spare = undefined;
    });
  }

  private takeSpare(): ChildProcess | undefined {
    const spare = this.spare;
    if (!spare || !this.spareReady || !spare.connected || spare.exitCode !== null) return undefined;
    this.spare = undefined;
    this.spareReady = false;
    return spare;
  }

  /** Forwards the child's output and keeps its last stderr lines for the crash report. */
  private captureOutput(child: ChildProcess): string[] {
    const tail: string[] = [];
    const stream = this.options.streamOutput ?? true;
    const forward = (target: NodeJS.WriteStream, keep: boolean) => (chunk: Buffer) => {
      const text = chunk.toString();
      if (stream) target.write(text);
      if (keep) {
        tail.push(...text.split('\n').filter((line) => line.trim() !== ''));
        tail.splice(0, Math.max(0, tail.length - 20));
      }
    };
    child.stdout?.on('data', forward(process.stdout, false));
    child.stderr?.on('data', forward(process.stderr, true));
    return tail;
  }

  private async afterExit(
    slot: Slot,
    exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error },
    tail: readonly string[],
  ): Promise<void> {
    const run = await this.readUntilAnswered(slot.flowRunId);
    if (run.state?.type === 'CANCELLING' || slot.cancelRequested) {
      if (run.state?.type === 'CANCELLING' || !isFinal(run.state?.type)) {
        await this.proposeUntilAnswered(
          slot.flowRunId,
          stateCreate({ type: 'CANCELLED', name: 'Cancelled', message: 'Flow run was cancelled.' }),
          true,
        );
        this.stats.cancelled += 1;
        slot.logger.info(`Flow run '${slot.flowRunName}' was cancelled.`);
      }
      return;
    }
    if (isFinal(run.state?.type)) return;
    const how = exit.error
      ? `Failed to submit flow run to infrastructure: ${exit.error.message}`
      : exit.signal
        ? `Flow run infrastructure exited due to signal ${exit.signal}.`
        : exit.code !== 0
          ? `Flow run infrastructure exited with non-zero status code ${exit.code}.`
          : 'Flow run process exited without reporting a final state.';
    if (tail.length > 0)
      slot.logger.error(`Last lines of the flow process's stderr:\n${tail.join('\n')}`);
    await this.reportCrashed(slot, how);
  }

  /** The deployment, or undefined when it was deleted; retried until the API answers. */
  private async readDeployment(
    id: string,
  ): Promise<PrefectSchemas['DeploymentResponse'] | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await unwrapOptional(
          this.client.api.GET('/deployments/{id}', { params: { path: { id } } }),
        );
      } catch (error) {
        if (this.stopAll.signal.aborted) throw error;
        await this.pause(Math.min(1_000 * 2 ** attempt, 10_000), this.stopAll.signal);
      }
    }
  }

  private async readUntilAnswered(flowRunId: string): Promise<FlowRun> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await unwrap(
          this.client.api.GET('/flow_runs/{id}', { params: { path: { id: flowRunId } } }),
        );
      } catch (error) {
        if (error instanceof PrefectApiError && error.status === 404) throw error;
        if (this.stopAll.signal.aborted) throw error;
        await this.pause(Math.min(1_000 * 2 ** attempt, 10_000), this.stopAll.signal);
      }
    }
  }

  /**
   * CRASHED without `force`, as Prefect's worker: if the run reached a final state meanwhile
   * the server aborts the proposal and the run keeps its real outcome.
   */
  private async reportCrashed(slot: Slot, message: string): Promise<void> {
    const result = await this.proposeUntilAnswered(
      slot.flowRunId,
      stateCreate({ type: 'CRASHED', message }),
    );
    if (result.state?.type === 'CRASHED') {
      this.stats.crashed += 1;
      slot.logger.error(`Reported flow run '${slot.flowRunName}' as crashed: ${message}`);
    }
  }

  private async checkCancellations(): Promise<void> {
    const candidates = [...this.slots.values()].filter(
      (slot) => slot.child && !slot.cancelRequested,
    );
    for (let start = 0; start < candidates.length; start += 200) {
      const ids = candidates.slice(start, start + 200).map((slot) => slot.flowRunId);
      const cancelling = await unwrap(
        this.client.api.POST('/flow_runs/filter', {
          body: {
            limit: 200,
            flow_runs: { id: { any_: ids }, state: { type: { any_: ['CANCELLING'] } } },
          },
        }),
      );
      for (const run of cancelling) {
        const slot = this.slots.get(run.id);
        if (!slot || slot.cancelRequested) continue;
        slot.cancelRequested = true;
        slot.logger.info(`Flow run '${slot.flowRunName}' is cancelling; stopping its process.`);
        this.terminate(slot);
      }
    }
  }

  /** SIGTERM now, SIGKILL after the job's grace period if the process is still there. */
  private terminate(slot: Slot): void {
    const child = slot.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    slot.killTimer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, slot.terminationGraceSeconds * 1000);
  }
}

/** Starts a worker and resolves when it has stopped (after SIGTERM/SIGINT). */
export async function runWorker(options: WorkerOptions): Promise<Worker> {
  const worker = new Worker(options);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write(`Second ${signal}: exiting now.\n`);
      process.exit(130);
    }
    void worker.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await worker.start();
    await worker.stopped;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  return worker;
}
