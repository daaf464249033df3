import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { unwrap, type PrefectClient, type PrefectSchemas } from '../src/index';

export const libRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Polls `check` every 200 ms until it returns a value other than undefined/false. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(200);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
}

export function markerDir(): string {
  return mkdtempSync(join(tmpdir(), 'finks-prefect-markers-'));
}

/** The lines the fixture flows appended for one marker ("start <pid>", "end <pid>"). */
export function markerLines(dir: string, marker: string): string[] {
  const file = join(dir, marker);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

export async function runDeployment(
  client: PrefectClient,
  deploymentId: string,
  parameters: Record<string, unknown>,
  scheduledTime?: Date,
): Promise<PrefectSchemas['FlowRun']> {
  return unwrap(
    client.api.POST('/deployments/{id}/create_flow_run', {
      params: { path: { id: deploymentId } },
      body: {
        parameters,
        ...(scheduledTime
          ? {
              state: {
                type: 'SCHEDULED',
                state_details: { scheduled_time: scheduledTime.toISOString() },
              },
            }
          : {}),
      },
    }),
  );
}

export async function readFlowRun(
  client: PrefectClient,
  id: string,
): Promise<PrefectSchemas['FlowRun']> {
  return unwrap(client.api.GET('/flow_runs/{id}', { params: { path: { id } } }));
}

export async function flowRunStateNames(client: PrefectClient, id: string): Promise<string[]> {
  const states = await unwrap(
    client.api.GET('/flow_run_states/', { params: { query: { flow_run_id: id } } }),
  );
  return states
    .sort((a, b) => Date.parse(a.timestamp ?? '') - Date.parse(b.timestamp ?? ''))
    .map((state) => state.name ?? state.type);
}

export async function waitForFinal(
  client: PrefectClient,
  id: string,
  timeoutMs = 120_000,
): Promise<PrefectSchemas['FlowRun']> {
  return waitFor(
    `flow run ${id} to reach a final state`,
    async () => {
      const run = await readFlowRun(client, id);
      const type = run.state?.type;
      return type === 'COMPLETED' || type === 'FAILED' || type === 'CRASHED' || type === 'CANCELLED'
        ? run
        : undefined;
    },
    timeoutMs,
  );
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
