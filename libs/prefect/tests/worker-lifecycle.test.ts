import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  applyDeployment,
  createPrefectClient,
  LOG_LEVELS,
  unwrap,
  Worker,
  type PrefectClient,
} from '../src/index';
import { startPrefectServer, type PrefectServerProcess } from '../src/testing/index';
import { markedFlow } from './fixtures/worker-flows';
import {
  flowRunStateNames,
  libRoot,
  markerDir,
  markerLines,
  readFlowRun,
  runDeployment,
  waitFor,
  waitForFinal,
} from './helpers';

const markers = markerDir();
afterAll(() => rmSync(markers, { recursive: true, force: true }));

async function deployMarked(client: PrefectClient, pool: string): Promise<string> {
  const applied = await applyDeployment(client, {
    flow: markedFlow,
    name: 'marked',
    entrypoint: 'tests/fixtures/worker-flows.ts:markedFlow',
    path: libRoot,
    workPool: pool,
    jobVariables: { env: { FINKS_TEST_MARKER_DIR: markers } },
  });
  return applied.id;
}

describe('a Prefect server restart mid-work', () => {
  let server: PrefectServerProcess | undefined;
  let worker: Worker | undefined;

  beforeAll(async () => {
    // Our own server: this test kills it, which must not disturb the shared one.
    server = await startPrefectServer();
  }, 240_000);

  afterAll(async () => {
    await worker?.stop(5);
    await server?.dispose();
  }, 60_000);

  it('loses no run and runs none twice', async () => {
    if (!server) throw new Error('no server');
    const client = createPrefectClient({ apiUrl: server.apiUrl });
    const pool = 'restart-pool';

    // The worker starts while the API is down: it must keep trying, not exit.
    await server.stop();
    worker = new Worker({
      pool,
      api: client,
      pollIntervalSeconds: 0.5,
      cancellationPollSeconds: 1,
      streamOutput: false,
      consoleLevel: LOG_LEVELS.critical,
    });
    const started = worker.start();
    await sleep(1_500);
    await server.start();
    await started;

    const deploymentId = await deployMarked(client, pool);
    const names = Array.from({ length: 3 }, (_, i) => `restart-${randomUUID()}-${i}`);
    const runs = await Promise.all(
      names.map((marker) => runDeployment(client, deploymentId, { marker, sleepMs: 10_000 })),
    );
    // Every run started and at least one still in flight when the server dies (on a loaded
    // machine the flow processes start far apart, so "all RUNNING at once" may never happen).
    await waitFor(
      'every run to have started, one of them still RUNNING',
      async () => {
        const states = await Promise.all(
          runs.map(async (run) => (await readFlowRun(client, run.id)).state?.type),
        );
        return (
          states.every((type) => type === 'RUNNING' || type === 'COMPLETED') &&
          states.includes('RUNNING')
        );
      },
      120_000,
    );

    // Killed mid-request: connections are refused until it is back.
    await server.kill();
    await sleep(2_000);
    await server.start();

    const finals = await Promise.all(runs.map((run) => waitForFinal(client, run.id, 150_000)));
    expect(finals.map((run) => run.state?.type)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    for (const marker of names) {
      expect(markerLines(markers, marker).map((line) => line.split(' ')[0])).toEqual([
        'start',
        'end',
      ]);
    }
    for (const run of runs) {
      const states = await flowRunStateNames(client, run.id);
      expect(states.filter((name) => name === 'Running')).toHaveLength(1);
      expect(states.at(-1)).toBe('Completed');
    }
    expect(worker.stats.submitted).toBe(runs.length);
  }, 420_000);
});

describe('finks-worker CLI', () => {
  const client = createPrefectClient({ apiUrl: inject('prefectApiUrl') });
  const children: ChildProcess[] = [];

  function startCli(
    pool: string,
    ...extra: string[]
  ): { child: ChildProcess; exited: Promise<number | null> } {
    const child = spawn(
      process.execPath,
      [
        join(libRoot, 'bin', 'finks-worker.mjs'),
        '--pool',
        pool,
        '--poll-interval',
        '0.5',
        '--quiet',
        ...extra,
      ],
      {
        env: { ...process.env, PREFECT_API_URL: client.apiUrl },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.push(child);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    return { child, exited };
  }

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('on SIGTERM stops polling and lets the running flow finish', async () => {
    const pool = `cli-graceful-${randomUUID().slice(0, 8)}`;
    const { child, exited } = startCli(pool);
    await waitFor('the CLI worker to create its pool', async () => {
      const { response } = await client.api.GET('/work_pools/{name}', {
        params: { path: { name: pool } },
      });
      return response.ok;
    });
    const deploymentId = await deployMarked(client, pool);
    const marker = `graceful-${randomUUID()}`;
    const run = await runDeployment(client, deploymentId, { marker, sleepMs: 3_000 });
    await waitFor(
      'the run to be RUNNING',
      async () => (await readFlowRun(client, run.id)).state?.type === 'RUNNING',
    );

    child.kill('SIGTERM');
    await sleep(500);
    const late = await runDeployment(client, deploymentId, { marker: `late-${randomUUID()}` });

    expect(await exited).toBe(0);
    expect((await readFlowRun(client, run.id)).state?.type).toBe('COMPLETED');
    expect(markerLines(markers, marker)).toHaveLength(2);
    expect((await readFlowRun(client, late.id)).state?.type).toBe('SCHEDULED');
    await unwrap(client.api.DELETE('/flow_runs/{id}', { params: { path: { id: late.id } } }));
  });

  it('terminates flows still running when the shutdown grace period ends', async () => {
    const pool = `cli-bounded-${randomUUID().slice(0, 8)}`;
    const { child, exited } = startCli(pool, '--shutdown-grace', '1');
    await waitFor('the CLI worker to create its pool', async () => {
      const { response } = await client.api.GET('/work_pools/{name}', {
        params: { path: { name: pool } },
      });
      return response.ok;
    });
    const deploymentId = await deployMarked(client, pool);
    const run = await runDeployment(client, deploymentId, {
      marker: `bounded-${randomUUID()}`,
      sleepMs: 60_000,
    });
    await waitFor(
      'the run to be RUNNING',
      async () => (await readFlowRun(client, run.id)).state?.type === 'RUNNING',
    );

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const final = await readFlowRun(client, run.id);
    expect(final.state?.type).toBe('CRASHED');
    expect(final.state?.message).toBe('Execution was interrupted by SIGTERM.');
  });
});
