import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  applyDeployment,
  type AnyFlow,
  createPrefectClient,
  FINKS_WORKER_TYPE,
  LOG_LEVELS,
  unwrap,
  Worker,
  type WorkerOptions,
} from '../src/index';
import { exitingFlow, heapFlow, killedFlow, markedFlow } from './fixtures/worker-flows';
import {
  flowRunStateNames,
  isProcessAlive,
  libRoot,
  markerDir,
  markerLines,
  readFlowRun,
  runDeployment,
  waitFor,
  waitForFinal,
} from './helpers';

const client = createPrefectClient({ apiUrl: inject('prefectApiUrl') });
const suffix = randomUUID().slice(0, 8);
const markers = markerDir();
const workers: Worker[] = [];

function startWorker(pool: string, options: Partial<WorkerOptions> = {}): Worker {
  const worker = new Worker({
    pool,
    api: client,
    name: `test-worker-${randomUUID().slice(0, 6)}`,
    pollIntervalSeconds: 0.5,
    cancellationPollSeconds: 0.5,
    streamOutput: false,
    consoleLevel: LOG_LEVELS.critical,
    ...options,
  });
  workers.push(worker);
  return worker;
}

async function deploy(pool: string, name: string, entrypoint: string, flow: AnyFlow = markedFlow) {
  const applied = await applyDeployment(client, {
    flow,
    name,
    entrypoint,
    path: libRoot,
    workPool: pool,
    jobVariables: { env: { FINKS_TEST_MARKER_DIR: markers } },
  });
  return applied.id;
}

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop(5)));
  rmSync(markers, { recursive: true, force: true });
});

describe('finks worker', () => {
  const pool = `ts-workers-${suffix}`;
  let deploymentId: string;
  let worker: Worker;

  beforeAll(async () => {
    worker = startWorker(pool);
    await worker.start();
    deploymentId = await deploy(pool, 'marked', 'tests/fixtures/worker-flows.ts:markedFlow');
  });

  it('creates its work pool with our type and heartbeats as ONLINE', async () => {
    const created = await unwrap(
      client.api.GET('/work_pools/{name}', { params: { path: { name: pool } } }),
    );
    expect(created.type).toBe(FINKS_WORKER_TYPE);
    expect(created.base_job_template).toMatchObject({
      variables: { properties: { env: { type: 'object' } } },
    });
    const registered = await unwrap(
      client.api.POST('/work_pools/{work_pool_name}/workers/filter', {
        params: { path: { work_pool_name: pool } },
        body: {},
      }),
    );
    expect(registered.map((w) => [w.name, w.status])).toContainEqual([worker.name, 'ONLINE']);
  });

  it('picks up a run created from a deployment and completes it', async () => {
    const marker = `picked-${randomUUID()}`;
    const run = await runDeployment(client, deploymentId, { marker, sleepMs: 200 });
    const final = await waitForFinal(client, run.id);
    expect(final.state?.type).toBe('COMPLETED');
    expect(await flowRunStateNames(client, run.id)).toEqual([
      'Scheduled',
      'Pending',
      'Submitting',
      'Running',
      'Completed',
    ]);
    expect(final.infrastructure_pid).toMatch(/^.+:\d+$/);
    expect(markerLines(markers, marker).map((line) => line.split(' ')[0])).toEqual([
      'start',
      'end',
    ]);
    // The flow adopted the worker's run instead of creating its own, and ran its tasks in it.
    // Its task runs travel as events, which the server's recorder writes within its flush
    // interval (5 s), possibly after the flow run is final.
    const tasks = await waitFor('the task runs of the adopted flow run', async () => {
      const found = await unwrap(
        client.api.POST('/task_runs/filter', { body: { flow_runs: { id: { any_: [run.id] } } } }),
      );
      return found.length >= 2 && found;
    });
    expect(tasks.map((t) => t.name).sort()).toEqual(['step-0', 'step-1']);
  });

  it('reports a child killed by a signal as CRASHED', async () => {
    const killedDeployment = await deploy(
      pool,
      'killed',
      'tests/fixtures/worker-flows.ts:killedFlow',
      killedFlow,
    );
    const marker = `killed-${randomUUID()}`;
    const run = await runDeployment(client, killedDeployment, { marker });
    const final = await waitForFinal(client, run.id);
    expect(final.state?.type).toBe('CRASHED');
    expect(final.state?.message).toBe('Flow run infrastructure exited due to signal SIGKILL.');
    expect(await flowRunStateNames(client, run.id)).toEqual([
      'Scheduled',
      'Pending',
      'Submitting',
      'Running',
      'Crashed',
    ]);
    expect(markerLines(markers, marker)).toHaveLength(1);
  });

  it('reports a child that exits non-zero before finishing as CRASHED', async () => {
    const exitingDeployment = await deploy(
      pool,
      'exiting',
      'tests/fixtures/worker-flows.ts:exitingFlow',
      exitingFlow,
    );
    const run = await runDeployment(client, exitingDeployment, { marker: `exit-${randomUUID()}` });
    const final = await waitForFinal(client, run.id);
    expect(final.state?.type).toBe('CRASHED');
    expect(final.state?.message).toBe(
      'Flow run infrastructure exited with non-zero status code 3.',
    );
  });

  it('reports a deployment whose entrypoint cannot be loaded as CRASHED', async () => {
    const broken = await deploy(pool, 'broken', 'tests/fixtures/worker-flows.ts:noSuchFlow');
    const run = await runDeployment(client, broken, { marker: `broken-${randomUUID()}` });
    const final = await waitForFinal(client, run.id);
    expect(final.state?.type).toBe('CRASHED');
    expect(final.state?.message).toBe(
      'Flow run infrastructure exited with non-zero status code 2.',
    );
  });

  it('stops a cancelled run and marks it CANCELLED', async () => {
    const marker = `cancel-${randomUUID()}`;
    const run = await runDeployment(client, deploymentId, { marker, sleepMs: 60_000 });
    await waitFor('the run to be RUNNING', async () => {
      return (await readFlowRun(client, run.id)).state?.type === 'RUNNING';
    });
    const running = await readFlowRun(client, run.id);
    const pid = Number((running.infrastructure_pid ?? '').split(':').at(-1));
    expect(isProcessAlive(pid)).toBe(true);

    await unwrap(
      client.api.POST('/flow_runs/{id}/set_state', {
        params: { path: { id: run.id } },
        body: { state: { type: 'CANCELLING' } },
      }),
    );
    const final = await waitForFinal(client, run.id, 30_000);
    expect(final.state?.type).toBe('CANCELLED');
    expect(isProcessAlive(pid)).toBe(false);
    const states = await flowRunStateNames(client, run.id);
    expect(states.slice(-2)).toEqual(['Cancelling', 'Cancelled']);
    expect(markerLines(markers, marker).map((line) => line.split(' ')[0])).toEqual(['start']);
  });

  it('starts a fresh process when the job env sets NODE_OPTIONS', async () => {
    const applied = await applyDeployment(client, {
      flow: heapFlow,
      name: 'heap',
      entrypoint: 'tests/fixtures/worker-flows.ts:heapFlow',
      path: libRoot,
      workPool: pool,
      jobVariables: {
        env: { FINKS_TEST_MARKER_DIR: markers, NODE_OPTIONS: '--max-old-space-size=96' },
      },
    });
    // A warm spare is waiting: without the check it would take the run and ignore the option.
    await waitFor('a ready warm spare', async () =>
      Boolean((worker as unknown as { spareReady: boolean }).spareReady),
    );
    const marker = `heap-${randomUUID()}`;
    const run = await runDeployment(client, applied.id, { marker });
    expect((await waitForFinal(client, run.id)).state?.type).toBe('COMPLETED');
    const [line] = markerLines(markers, marker);
    const heapMb = Number(/heap-mb=(\d+)/.exec(line ?? '')?.[1]);
    // Node's default limit is in the gigabytes; 96 MB old space plus the young generation is not.
    expect(heapMb).toBeGreaterThan(0);
    expect(heapMb).toBeLessThan(300);
  });

  it('runs at most `concurrencyLimit` flows at once', async () => {
    const limitedPool = `ts-limited-${suffix}`;
    const limited = startWorker(limitedPool, { concurrencyLimit: 1 });
    await limited.start();
    const limitedDeployment = await deploy(
      limitedPool,
      'limited',
      'tests/fixtures/worker-flows.ts:markedFlow',
    );
    const runs = await Promise.all(
      [0, 1, 2].map((i) =>
        runDeployment(client, limitedDeployment, {
          marker: `limited-${suffix}-${i}`,
          sleepMs: 400,
        }),
      ),
    );
    const finals = await Promise.all(runs.map((run) => waitForFinal(client, run.id)));
    expect(finals.map((run) => run.state?.type)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    const spans = finals
      .map((run) => [Date.parse(run.start_time ?? ''), Date.parse(run.end_time ?? '')] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i += 1) {
      expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
  });
});

describe('two workers racing for the same runs', () => {
  it('runs every run exactly once', async () => {
    const pool = `ts-race-${suffix}`;
    const first = startWorker(pool, { pollIntervalSeconds: 0.2 });
    await first.start();
    await first.stop(0);
    const deploymentId = await deploy(pool, 'race', 'tests/fixtures/worker-flows.ts:markedFlow');
    const markersFor = Array.from({ length: 4 }, (_, i) => `race-${suffix}-${i}`);
    const runs = await Promise.all(
      markersFor.map((marker) => runDeployment(client, deploymentId, { marker, sleepMs: 100 })),
    );
    // Both start after the runs exist, so both see all of them on their first poll.
    const racers = [
      startWorker(pool, { pollIntervalSeconds: 0.2 }),
      startWorker(pool, { pollIntervalSeconds: 0.2 }),
    ];
    await Promise.all(racers.map((racer) => racer.start()));
    const finals = await Promise.all(runs.map((run) => waitForFinal(client, run.id)));

    expect(finals.every((run) => run.state?.type === 'COMPLETED')).toBe(true);
    for (const marker of markersFor) {
      expect(markerLines(markers, marker).filter((line) => line.startsWith('start'))).toHaveLength(
        1,
      );
    }
    for (const run of runs) {
      const states = await flowRunStateNames(client, run.id);
      expect(states.filter((name) => name === 'Running')).toHaveLength(1);
      expect(states.filter((name) => name === 'Pending')).toHaveLength(1);
    }
    const submitted = racers.reduce((sum, racer) => sum + racer.stats.submitted, 0);
    expect(submitted).toBe(runs.length);
  }, 240_000);
});
