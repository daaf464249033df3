import { describe, expect, it } from 'vitest';
import { stateCreate } from './states';
import { taskRunStateEvents } from './task-run-events';

const spec = {
  id: '6f1d8f1e-8a53-4d43-9d0e-3f0b7f3c2a11',
  flowRunId: '0b8f5a52-2f0c-4a8e-9a35-0f0d3cbbd0aa',
  taskKey: 'extract-1a2b3c4d',
  dynamicKey: '3',
  name: 'extract-3',
  tags: ['zeta', 'alpha'],
  retries: 2,
  retryDelaySeconds: [1, 5],
  taskInputs: { arg0: [] },
  initialState: stateCreate({ type: 'RUNNING' }),
};

describe('taskRunStateEvents', () => {
  const startedAt = new Date('2026-11-26T01:00:00.000Z');
  const [running, completed] = taskRunStateEvents({
    spec,
    flowRunId: spec.flowRunId,
    startedAt,
    endedAt: new Date('2026-11-26T01:00:00.250Z'),
  });

  it('names the task run and marks the events as client-orchestrated for the recorder', () => {
    expect(running.event).toBe('prefect.task-run.Running');
    expect(completed.event).toBe('prefect.task-run.Completed');
    for (const event of [running, completed]) {
      expect(event.resource).toMatchObject({
        'prefect.resource.id': `prefect.task-run.${spec.id}`,
        'prefect.resource.name': 'extract-3',
        'prefect.orchestration': 'client',
      });
      expect(event.related?.[0]).toEqual({
        'prefect.resource.id': `prefect.flow-run.${spec.flowRunId}`,
        'prefect.resource.role': 'flow-run',
      });
      expect(event.related?.slice(1).map((r) => r['prefect.resource.id'])).toEqual([
        'prefect.tag.alpha',
        'prefect.tag.zeta',
      ]);
    }
  });

  it('carries task_key, dynamic_key, policy and times in the task_run payload', () => {
    expect(completed.payload?.['task_run']).toMatchObject({
      name: 'extract-3',
      task_key: 'extract-1a2b3c4d',
      dynamic_key: '3',
      run_count: 1,
      empirical_policy: { retries: 2, retry_delay: [1, 5] },
      start_time: '2026-11-26T01:00:00.000Z',
      end_time: '2026-11-26T01:00:00.250Z',
      total_run_time: 0.25,
    });
    expect(running.payload?.['task_run']).not.toHaveProperty('end_time');
    expect(completed.payload?.['intended']).toEqual({ from: 'RUNNING', to: 'COMPLETED' });
    expect(completed.follows).toBe(running.id);
  });

  it('never gives both states one timestamp (the server keeps one state per timestamp)', () => {
    const [a, b] = taskRunStateEvents({
      spec,
      flowRunId: spec.flowRunId,
      startedAt,
      endedAt: startedAt,
    });
    expect(Date.parse(b.occurred)).toBeGreaterThan(Date.parse(a.occurred));
  });
});
