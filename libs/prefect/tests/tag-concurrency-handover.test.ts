import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configurePrefectRuntime, createPrefectClient, LOG_LEVELS, task } from '../src/index';

// The server's task policy (SecureTaskConcurrencySlots) takes a `tag:` slot itself on every
// RUNNING *proposal*. A client that holds its own slot across one counts the run twice, and with
// a limit of 1 the server answers WAIT forever. A recording stand-in shows which requests the
// runtime sends, and in which order. (The dev Prefect server runs on SQLite, where that policy
// rule itself stalls on the database lock, so it cannot serve as the witness here.)
const sent: string[] = [];
let server: Server;
let failuresLeft = 0;

function answer(method: string, path: string, body: Record<string, unknown>): [number, unknown] {
  if (path.endsWith('/increment-with-lease')) {
    return [
      200,
      { lease_id: '11111111-0000-4000-8000-000000000000', limits: [{ name: 'tag:one' }] },
    ];
  }
  if (path.endsWith('/decrement-with-lease')) return [200, null];
  if (method === 'POST' && path === '/api/task_runs/') {
    return [201, { id: body['id'], name: body['name'], state: body['state'] }];
  }
  const setState = /^\/api\/task_runs\/([^/]+)\/set_state$/.exec(path);
  if (setState) {
    const proposed = (body['state'] ?? {}) as { type: string; name?: string };
    if (proposed.type === 'FAILED' && failuresLeft > 0) {
      failuresLeft -= 1;
      const state = {
        type: 'SCHEDULED',
        name: 'AwaitingRetry',
        state_details: { scheduled_time: new Date().toISOString() },
      };
      return [200, { status: 'REJECT', state, details: { type: 'reject_details' } }];
    }
    return [200, { status: 'ACCEPT', state: proposed, details: { type: 'accept_details' } }];
  }
  return [201, null];
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const state = (body['state'] as { type?: string; name?: string } | undefined) ?? {};
      sent.push(
        path.endsWith('/set_state')
          ? `set_state ${state.name ?? state.type}`
          : `${request.method} ${path}`,
      );
      const [status, payload] = answer(request.method ?? '', path, body);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  await configurePrefectRuntime({
    api: createPrefectClient({ apiUrl, csrf: 'off' }),
    consoleLevel: LOG_LEVELS.critical,
    handleProcessCrashes: false,
  });
});

afterAll(async () => {
  await configurePrefectRuntime({ api: false, consoleLevel: LOG_LEVELS.critical });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const taskRequests = () => sent.filter((line) => !line.includes('/logs/'));

describe('tag concurrency slots, client or server', () => {
  it('leaves a cached run, which the server policy starts, to the server', async () => {
    sent.length = 0;
    const cached = task(
      { name: 'cached', tags: ['one'], cacheKey: (n: number) => `k-${n}` },
      async (n: number) => n * 2,
    );
    expect(await cached(21)).toBe(42);
    expect(taskRequests()).toEqual([
      'POST /api/task_runs/',
      'set_state RUNNING',
      'set_state COMPLETED',
    ]);
  });

  it('holds the slot for a run created RUNNING, and hands it over before a retry', async () => {
    sent.length = 0;
    failuresLeft = 1;
    let attempts = 0;
    const flaky = task({ name: 'flaky', tags: ['one'], retries: 1 }, async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('first attempt fails');
      return 'ok';
    });
    expect(await flaky()).toBe('ok');
    expect(taskRequests()).toEqual([
      'POST /api/v2/concurrency_limits/increment-with-lease',
      'POST /api/task_runs/',
      'set_state FAILED',
      // Released before the RUNNING proposal, whose slot the server's policy takes.
      'POST /api/v2/concurrency_limits/decrement-with-lease',
      'set_state Retrying',
      'set_state COMPLETED',
    ]);
  });
});
