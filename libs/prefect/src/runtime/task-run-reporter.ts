import { setTimeout as sleep } from 'node:timers/promises';
import { PrefectError } from '../errors/prefect-error';
import { proposeFinal, proposeRunning } from './engine';
import type { ApiOrchestrator } from './orchestrator';
import type { RunLogger } from './run-logger';
import { describeError, isFinal, stateCreate } from './states';
import { taskRunStateEvents, type FinishedTaskRun } from './task-run-events';

export interface TaskRunReporterOptions {
  /** Send as soon as this many task runs are waiting (default 100). */
  readonly batchSize?: number;
  /**
   * …or this long after the first of them finished (default 150 ms): the batch that is left
   * when the flow body ends travels with the COMPLETED proposal, and a small one keeps that short.
   */
  readonly maxDelayMs?: number;
  /**
   * `events` (default): as `prefect.task-run.*` events, one request per batch, recorded by the
   * server's task_run_recorder service. `set_state`: each run created PENDING and moved to
   * RUNNING and COMPLETED under the server's orchestration (three requests per run).
   */
  readonly via?: 'events' | 'set_state';
  /** How long the first batch may take to show up as task runs (default 60 s). */
  readonly recorderCheckTimeoutMs?: number;
}

/** At most this many task runs (two events each) in one request, to keep bodies well < 5 MB. */
const MAX_RUNS_PER_REQUEST = 250;

/**
 * Whether a server takes task run events, per client: false after it refused them, or after the
 * first batch never showed up as task runs (a server started with `--no-services` accepts
 * events and records nothing).
 */
const eventsRecorded = new WeakMap<object, boolean>();

/**
 * Records task runs that succeeded on their first attempt without the flow waiting for the
 * server, the way Prefect 3's own engine does: as batched `prefect.task-run.*` events that the
 * server's TaskRunRecorder turns into the task run and its Running → Completed history.
 *
 * Only runs whose outcome the server's task policy cannot change go this way (first attempt
 * succeeded, no cache key, not in a flow retry or rerun: the caller decides). Such a run is
 * created in RUNNING on the synchronous path too, which the server applies without its rules. One request per batch
 * instead of two per task run is what keeps a flow of many small tasks close to its speed
 * without an API (`bench/bench.ts`): every state proposal costs the server a write, and a
 * SQLite-backed server does only a few dozen a second.
 *
 * When the server takes no events (an error answer) or does not record them, the runs are
 * reported through `set_state` instead, under the server's orchestration; an answer other than
 * ACCEPT there is collected in `problems`, and the flow fails with them after `drain()`.
 */
export class TaskRunReporter {
  private readonly batchSize: number;
  private readonly maxDelayMs: number;
  private readonly recorderCheckTimeoutMs: number;
  private readonly via: 'events' | 'set_state';
  private queue: FinishedTaskRun[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  readonly problems: string[] = [];
  private readonly sentAsEvents: string[] = [];
  private fallback = true;

  constructor(
    private readonly orchestrator: ApiOrchestrator,
    private readonly logger: RunLogger,
    options: TaskRunReporterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 150;
    this.recorderCheckTimeoutMs = options.recorderCheckTimeoutMs ?? 60_000;
    this.via = options.via ?? 'events';
  }

  /** Whether the server has already taken task run events from this client. */
  eventsAccepted(): boolean {
    return this.via === 'events' && eventsRecorded.get(this.orchestrator.client) === true;
  }

  record(run: FinishedTaskRun): void {
    this.queue.push(run);
    this.schedule();
  }

  /** Resolves once every task run recorded so far has been sent (and, if needed, re-reported). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      this.sendNow();
      await this.inFlight;
    }
  }

  /**
   * Drains while the flow run's COMPLETED proposal is under way. The set_state fallback is off
   * here: a task run cannot enter RUNNING once its flow run is final, so a batch refused now
   * becomes a problem (the flow run then fails) instead of a report racing the flow's state.
   */
  async drainAlongsideCompletion(): Promise<void> {
    this.fallback = false;
    try {
      await this.drain();
    } finally {
      this.fallback = true;
    }
  }

  /**
   * Waits (up to `timeoutMs`) until the server shows every task run sent as events. Only a
   * flow retry needs this: its task calls find the runs of the failed attempt by
   * `task_key`/`dynamic_key`, which only works once those runs exist.
   */
  async whenRecorded(timeoutMs = 60_000): Promise<boolean> {
    await this.drain();
    const ids = this.sentAsEvents;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.orchestrator.countFinalTaskRuns(ids)) >= ids.length) return true;
      await sleep(250);
    }
    this.logger.warning(
      `The server had not recorded all ${ids.length} task run(s) of this attempt after ${Math.round(timeoutMs / 1000)} s; the retry may not find them.`,
    );
    return false;
  }

  // One request in flight at a time (SQLite-backed servers answer concurrent writers with 503s);
  // whatever finishes meanwhile goes out together in the next one.
  private schedule(): void {
    if (this.inFlight || this.queue.length === 0) return;
    if (this.queue.length >= this.batchSize) this.sendNow();
    else this.timer ??= setTimeout(() => this.sendNow(), this.maxDelayMs);
  }

  private sendNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, MAX_RUNS_PER_REQUEST);
    this.inFlight = this.send(batch).finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
  }

  private async send(batch: FinishedTaskRun[]): Promise<void> {
    const client = this.orchestrator.client;
    if (this.via === 'events' && eventsRecorded.get(client) !== false) {
      try {
        await this.orchestrator.emitEvents(batch.flatMap((run) => taskRunStateEvents(run)));
        for (const run of batch) this.sentAsEvents.push(run.spec.id);
        if (!eventsRecorded.has(client)) {
          eventsRecorded.set(client, true);
          void this.checkRecorder(client, batch);
        }
        return;
      } catch (error) {
        eventsRecorded.set(client, false);
        if (!this.fallback) {
          for (const run of batch) {
            this.problems.push(
              `task run ${run.spec.name} (${run.spec.id}): its events were refused: ${describeError(error)}`,
            );
          }
          return;
        }
        this.logger.warning(
          `The Prefect server refused task run events (${describeError(error)}); reporting task runs through set_state instead.`,
        );
      }
    }
    for (const run of batch) await this.reportThroughApi(run);
  }

  /**
   * Runs in the background, once per client: the server's TaskRunRecorder works through its
   * queue one event at a time, so after a burst of flows the first run of ours may take many
   * seconds to appear, and no flow should wait for that. If it never appears, later flows of
   * this client report through set_state, and the log says how to fix the server.
   */
  private async checkRecorder(client: object, batch: readonly FinishedTaskRun[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    const deadline = Date.now() + this.recorderCheckTimeoutMs;
    while (Date.now() < deadline) {
      try {
        const state = await this.orchestrator.readTaskRunState(last.spec.id);
        if (state?.type === 'COMPLETED') return;
      } catch {
        // An unreachable server says nothing about its recorder; ask again.
      }
      await sleep(500, undefined, { ref: false });
    }
    eventsRecorded.set(client, false);
    this.logger.warning(
      `The Prefect server accepted task run events but had not recorded task run ${last.spec.name} ` +
        `(${last.spec.id}) ${Math.round(this.recorderCheckTimeoutMs / 1000)} s later: its task_run_recorder ` +
        'service looks off (e.g. `prefect server start --no-services`). Later flows report task runs ' +
        "through set_state; enable the service, or configure `taskRunReports: { via: 'set_state' }`.",
    );
  }

  /**
   * Creates the run PENDING and proposes RUNNING and COMPLETED, so that every rule of the
   * server's task policy applies (a stopped flow run ABORTs RUNNING; a concurrency slot may
   * be refused). The run's body has already finished: whatever the server answers can no
   * longer change it, so an answer other than ACCEPT is reported as a problem of the flow.
   */
  private async reportThroughApi(run: FinishedTaskRun): Promise<void> {
    const { spec } = run;
    try {
      const created = await this.orchestrator.createTaskRun({
        ...spec,
        initialState: stateCreate({ type: 'PENDING' }),
      });
      let state = created.state;
      if (!isFinal(state?.type)) {
        state = await proposeRunning(this.orchestrator, 'task', created.id, {}, this.logger);
        if (!isFinal(state.type)) {
          state =
            (await proposeFinal(
              this.orchestrator,
              'task',
              created.id,
              { type: 'COMPLETED' },
              this.logger,
            )) ?? null;
        }
      }
      if (state?.type !== 'COMPLETED') {
        this.problems.push(
          `task run ${spec.name} (${created.id}) ended in state ${state?.name ?? 'none'} instead of Completed`,
        );
      }
    } catch (error) {
      this.problems.push(`task run ${spec.name} (${spec.id}): ${describeError(error)}`);
    }
  }

  /** The error a flow fails with when some of its task runs could not be reported. */
  problemError(): PrefectError | undefined {
    if (this.problems.length === 0) return undefined;
    return new PrefectError(
      'orchestration',
      `The Prefect server did not accept the report of ${this.problems.length} task run(s) that had finished: ${this.problems.join('; ')}`,
    );
  }
}
