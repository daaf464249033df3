import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createPrefectClient, unwrap } from '../src/index';
import { readFlowRunHistory } from '../src/testing/index';
import { libRoot } from './helpers';

const client = createPrefectClient({ apiUrl: inject('prefectApiUrl') });

/** Starts a fixture flow process and resolves once it printed "ready" (its first line: the run id). */
async function startFixture(name: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(libRoot, 'tests', 'fixtures', name)],
    {
      cwd: libRoot,
      env: { ...process.env, PREFECT_API_URL: client.apiUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error(`the flow process exited early: ${stderr}`)));
  });
  return { child, exited, lines, flowRunId: lines[0] ?? '' };
}

describe('a flow process that is terminated', () => {
  it('reports the task runs that had finished, then CRASHED', async () => {
    const { child, exited, flowRunId } = await startFixture('crashing-flow.ts');

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const run = await unwrap(
      client.api.GET('/flow_runs/{id}', { params: { path: { id: flowRunId } } }),
    );
    expect(run.state?.type).toBe('CRASHED');
    expect(run.state?.message).toBe('Execution was interrupted by SIGTERM.');
    // The quick task's report was still queued when the signal came; it was sent, not lost.
    const history = await readFlowRunHistory(client, flowRunId, { taskRuns: 1, timeoutMs: 20_000 });
    expect(history.taskRuns.map((t) => [t.name, t.states])).toEqual([
      ['quick-0', ['Running', 'Completed']],
    ]);
  });

  it("aborts the running task's signal and lets it stop its work before CRASHED; nothing new starts", async () => {
    const { child, exited, lines, flowRunId } = await startFixture('interrupted-flow.ts');

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    // The task saw why, and its clean-up (300 ms) finished before the process exited.
    expect(lines).toContain(
      'stopped: PrefectInterruptedError: Execution was interrupted by SIGTERM.',
    );
    // The flow caught the failure and would have gone on; the runtime started nothing new.
    expect(lines).not.toContain('afterwards started');
    const run = await unwrap(
      client.api.GET('/flow_runs/{id}', { params: { path: { id: flowRunId } } }),
    );
    // CRASHED, not FAILED: the interrupted attempt was not reported as a failure.
    expect(run.state?.type).toBe('CRASHED');
    expect(run.state?.message).toBe('Execution was interrupted by SIGTERM.');
  });
});
