import { unwrap, type PrefectClient, type PrefectSchemas } from '../client/client';
import { collectPages } from '../client/paging';
import { flushPrefectLogs } from '../runtime/runtime';

export interface TaskRunHistory {
  readonly id: string;
  readonly name: string;
  readonly taskKey: string;
  readonly dynamicKey: string;
  readonly runCount: number;
  /** State names in order, e.g. ['Running', 'AwaitingRetry', 'Retrying', 'Completed']. */
  readonly states: readonly string[];
  readonly tags: readonly string[];
  readonly raw: PrefectSchemas['TaskRun'];
}

export interface FlowRunHistory {
  readonly id: string;
  readonly name: string;
  readonly flowName: string;
  readonly states: readonly string[];
  readonly stateMessages: readonly (string | null)[];
  readonly parentTaskRunId: string | null;
  readonly infrastructurePid: string | null;
  readonly taskRuns: readonly TaskRunHistory[];
  readonly logs: readonly { level: number; message: string; taskRunId: string | null }[];
  readonly artifacts: readonly PrefectSchemas['Artifact'][];
  readonly subflows: readonly FlowRunHistory[];
  readonly raw: PrefectSchemas['FlowRunResponse'];
}

function byTimestamp(a: { timestamp?: string }, b: { timestamp?: string }): number {
  return Date.parse(a.timestamp ?? '') - Date.parse(b.timestamp ?? '');
}

export interface ReadFlowRunHistoryOptions {
  /**
   * Wait until the flow run has at least this many task runs, all in a final state. Task runs
   * that succeed at once are recorded by the server after the flow returns (from events), so a
   * test reading right after a flow must say how many it expects.
   */
  readonly taskRuns?: number;
  /** How long to wait for them (default 60 s). */
  readonly timeoutMs?: number;
}

const FINAL_TYPES = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'] as const;

/**
 * Everything the REST API shows about one flow run: what the UI would show, for assertions.
 * Logs this process has yet to deliver are flushed first.
 */
export async function readFlowRunHistory(
  client: PrefectClient,
  flowRunId: string,
  options: ReadFlowRunHistoryOptions = {},
): Promise<FlowRunHistory> {
  const { api } = client;
  // A flow returns before its last log lines are delivered; those of this process are waited for.
  await flushPrefectLogs();
  if (options.taskRuns !== undefined) {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      const recorded = await unwrap(
        api.POST('/task_runs/count', {
          body: {
            flow_runs: { id: { any_: [flowRunId] } },
            task_runs: { state: { type: { any_: [...FINAL_TYPES] } } },
          },
        }),
      );
      if (recorded >= options.taskRuns) break;
      if (Date.now() > deadline) {
        throw new Error(
          `Flow run ${flowRunId} has ${recorded} finished task run(s) after ${options.timeoutMs ?? 60_000} ms, expected ${options.taskRuns}: is the server's task_run_recorder service running?`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const run = await unwrap(api.GET('/flow_runs/{id}', { params: { path: { id: flowRunId } } }));
  const flow = await unwrap(api.GET('/flows/{id}', { params: { path: { id: run.flow_id } } }));
  const states = (
    await unwrap(api.GET('/flow_run_states/', { params: { query: { flow_run_id: flowRunId } } }))
  ).sort(byTimestamp);
  const taskRuns = await collectPages((page) =>
    unwrap(
      api.POST('/task_runs/filter', {
        body: {
          ...page,
          sort: 'EXPECTED_START_TIME_ASC',
          flow_runs: { id: { any_: [flowRunId] } },
        },
      }),
    ),
  );
  const taskHistories = await Promise.all(
    taskRuns.map(async (taskRun): Promise<TaskRunHistory> => {
      const taskStates = (
        await unwrap(
          api.GET('/task_run_states/', { params: { query: { task_run_id: taskRun.id } } }),
        )
      ).sort(byTimestamp);
      return {
        id: taskRun.id,
        name: taskRun.name ?? '',
        taskKey: taskRun.task_key,
        dynamicKey: taskRun.dynamic_key,
        runCount: taskRun.run_count ?? 0,
        states: taskStates.map((state) => state.name ?? state.type),
        tags: taskRun.tags ?? [],
        raw: taskRun,
      };
    }),
  );
  const logs = await collectPages((page) =>
    unwrap(
      api.POST('/logs/filter', {
        body: { ...page, sort: 'TIMESTAMP_ASC', logs: { flow_run_id: { any_: [flowRunId] } } },
      }),
    ),
  );
  const artifacts = await collectPages((page) =>
    unwrap(
      api.POST('/artifacts/filter', {
        body: { ...page, artifacts: { flow_run_id: { any_: [flowRunId] } } },
      }),
    ),
  );
  const subflowRuns =
    taskRuns.length === 0
      ? []
      : await collectPages((page) =>
          unwrap(
            api.POST('/flow_runs/filter', {
              body: {
                ...page,
                flow_runs: { parent_task_run_id: { any_: taskRuns.map((t) => t.id) } },
              },
            }),
          ),
        );
  return {
    id: run.id,
    name: run.name ?? '',
    flowName: flow.name,
    states: states.map((state) => state.name ?? state.type),
    stateMessages: states.map((state) => state.message ?? null),
    parentTaskRunId: run.parent_task_run_id ?? null,
    infrastructurePid: run.infrastructure_pid ?? null,
    taskRuns: taskHistories,
    logs: logs.map((log) => ({
      level: log.level,
      message: log.message,
      taskRunId: log.task_run_id ?? null,
    })),
    artifacts,
    subflows: await Promise.all(subflowRuns.map((sub) => readFlowRunHistory(client, sub.id))),
    raw: run,
  };
}
