import { randomUUID } from 'node:crypto';
import type { PrefectSchemas } from '../client/client';
import { taskRunPolicy, type TaskRunSpec } from './orchestrator';

export type PrefectEvent = PrefectSchemas['Event'];

/** A task run that ran once and succeeded, to be recorded after the fact. */
export interface FinishedTaskRun {
  readonly spec: TaskRunSpec;
  readonly flowRunId: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
}

interface StateSummary {
  readonly type: 'RUNNING' | 'COMPLETED';
  readonly name: 'Running' | 'Completed';
}

const RUNNING: StateSummary = { type: 'RUNNING', name: 'Running' };
const COMPLETED: StateSummary = { type: 'COMPLETED', name: 'Completed' };

/**
 * The two `prefect.task-run.*` state-change events (Running, then Completed) from which the
 * server's TaskRunRecorder service builds the task run and its state history, in the shape
 * Prefect's Python engine emits (`emit_task_run_state_change_event` in
 * `prefect/utilities/engine`). The recorder only takes events whose resource says
 * `prefect.orchestration: client`, and reads the flow run from the `flow-run` related resource.
 * Run counts and times are the client's to fill in: the recorder copies them as they are.
 */
export function taskRunStateEvents(run: FinishedTaskRun): [PrefectEvent, PrefectEvent] {
  const { spec, startedAt } = run;
  // The server keeps one state per run and timestamp (a unique index); timestamps here have
  // millisecond precision, so a task that took under 1 ms would collide with itself, and the
  // recorder would retry the event until it drops it.
  const endedAt = new Date(Math.max(run.endedAt.getTime(), startedAt.getTime() + 1));
  const runningId = randomUUID();
  const taskRun = (ended: boolean): Record<string, unknown> => ({
    name: spec.name,
    task_key: spec.taskKey,
    dynamic_key: spec.dynamicKey,
    flow_run_run_count: 1,
    run_count: 1,
    tags: [...spec.tags],
    task_inputs: spec.taskInputs,
    empirical_policy: taskRunPolicy(spec),
    expected_start_time: startedAt.toISOString(),
    start_time: startedAt.toISOString(),
    ...(ended
      ? {
          end_time: endedAt.toISOString(),
          total_run_time: (endedAt.getTime() - startedAt.getTime()) / 1000,
        }
      : {}),
  });
  const event = (
    id: string,
    at: Date,
    from: StateSummary | undefined,
    to: StateSummary,
    follows?: string,
  ): PrefectEvent => ({
    id,
    occurred: at.toISOString(),
    event: `prefect.task-run.${to.name}`,
    resource: {
      'prefect.resource.id': `prefect.task-run.${spec.id}`,
      'prefect.resource.name': spec.name,
      'prefect.run-count': '1',
      'prefect.state-message': '',
      'prefect.state-name': to.name,
      'prefect.state-timestamp': at.toISOString(),
      'prefect.state-type': to.type,
      'prefect.orchestration': 'client',
    },
    related: [
      {
        'prefect.resource.id': `prefect.flow-run.${run.flowRunId}`,
        'prefect.resource.role': 'flow-run',
      },
      ...[...spec.tags].sort().map((tag) => ({
        'prefect.resource.id': `prefect.tag.${tag}`,
        'prefect.resource.role': 'tag',
      })),
    ],
    payload: {
      intended: { from: from?.type ?? null, to: to.type },
      initial_state: from
        ? { type: from.type, name: from.name, message: '', state_details: {} }
        : null,
      validated_state: {
        type: to.type,
        name: to.name,
        message: '',
        state_details: {},
        data: null,
      },
      task_run: taskRun(to.type === 'COMPLETED'),
    },
    ...(follows !== undefined ? { follows } : {}),
  });
  return [
    event(runningId, startedAt, undefined, RUNNING),
    event(randomUUID(), endedAt, RUNNING, COMPLETED, runningId),
  ];
}
