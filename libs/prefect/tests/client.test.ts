import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  collectPages,
  createPrefectClient,
  PrefectApiError,
  PrefectConnectionError,
  unwrap,
} from '../src/index';
import { freePort } from '../src/testing/index';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

interface FakeServer {
  readonly apiUrl: string;
  readonly requests: {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }[];
  close(): Promise<void>;
}

const servers: FakeServer[] = [];

/** A real HTTP server on a free port standing in for Prefect where we need odd answers. */
async function fakePrefect(handler: Handler, port = 0): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      handler(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const fake = {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(fake);
  return fake;
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const FLOW = {
  id: '2b0e1cde-0000-4000-8000-000000000000',
  name: 'f',
  tags: [],
  created: null,
  updated: null,
};

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('retries', () => {
  it('retries 503 and honours Retry-After over its own (shorter) backoff', async () => {
    let calls = 0;
    const fake = await fakePrefect((_, __, response) => {
      calls += 1;
      if (calls <= 2)
        json(response, 503, { exception_message: 'Service Unavailable' }, { 'retry-after': '1' });
      else json(response, 200, FLOW);
    });
    const client = createPrefectClient({ apiUrl: fake.apiUrl, retryBaseDelayMs: 10, csrf: 'off' });
    const started = Date.now();
    const flow = await unwrap(client.api.GET('/flows/{id}', { params: { path: { id: FLOW.id } } }));
    expect(flow.name).toBe('f');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(client.stats).toEqual({ requests: 3, retries: 2 });
  });

  it.each([408, 429, 502])('retries %i', async (status) => {
    let calls = 0;
    const fake = await fakePrefect((_, __, response) => {
      calls += 1;
      if (calls === 1) json(response, status, { detail: 'later' });
      else json(response, 200, FLOW);
    });
    const client = createPrefectClient({ apiUrl: fake.apiUrl, retryBaseDelayMs: 10, csrf: 'off' });
    await unwrap(client.api.GET('/flows/{id}', { params: { path: { id: FLOW.id } } }));
    expect(calls).toBe(2);
  });

  it.each([400, 404, 409, 422, 500])('does not retry %i', async (status) => {
    const fake = await fakePrefect((_, __, response) => json(response, status, { detail: 'no' }));
    const client = createPrefectClient({ apiUrl: fake.apiUrl, retryBaseDelayMs: 10, csrf: 'off' });
    const error = await unwrap(
      client.api.GET('/flows/{id}', { params: { path: { id: FLOW.id } } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrefectApiError);
    expect((error as PrefectApiError).status).toBe(status);
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up after maxRetries with the last status', async () => {
    const fake = await fakePrefect((_, __, response) =>
      json(response, 503, { exception_message: 'Service Unavailable' }),
    );
    const client = createPrefectClient({
      apiUrl: fake.apiUrl,
      retryBaseDelayMs: 5,
      maxRetries: 2,
      csrf: 'off',
    });
    const error = await unwrap(client.api.POST('/flows/', { body: { name: 'x' } })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'unavailable',
      status: 503,
      exceptionMessage: 'Service Unavailable',
    });
    expect(fake.requests).toHaveLength(3);
    // Every attempt carries the same body: what makes retried proposals idempotent.
    expect(new Set(fake.requests.map((r) => r.body)).size).toBe(1);
  });

  it('retries refused connections until the server is up', async () => {
    const port = await freePort();
    const client = createPrefectClient({
      apiUrl: `http://127.0.0.1:${port}/api`,
      retryBaseDelayMs: 100,
      csrf: 'off',
    });
    setTimeout(() => void fakePrefect((_, __, response) => json(response, 200, FLOW), port), 400);
    const flow = await unwrap(client.api.GET('/flows/{id}', { params: { path: { id: FLOW.id } } }));
    expect(flow.id).toBe(FLOW.id);
    expect(client.stats.retries).toBeGreaterThan(0);
  });

  it('reports a connection error once the retries are spent', async () => {
    const port = await freePort();
    const client = createPrefectClient({
      apiUrl: `http://127.0.0.1:${port}/api`,
      retryBaseDelayMs: 5,
      maxRetries: 1,
      csrf: 'off',
    });
    const error = await unwrap(client.api.GET('/health')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrefectConnectionError);
    expect((error as PrefectConnectionError).code).toBe('connection');
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

describe('retries of writes that are not safe to repeat', () => {
  const automation = {
    name: 'notify',
    trigger: { type: 'event', posture: 'Reactive', threshold: 1, within: 0 },
    actions: [],
  } as never;

  it.each([502, 408])('sends POST /automations/ once when it answers %i', async (status) => {
    const fake = await fakePrefect((_, __, response) => json(response, status, { detail: 'x' }));
    const client = createPrefectClient({ apiUrl: fake.apiUrl, retryBaseDelayMs: 5, csrf: 'off' });
    const error = await unwrap(client.api.POST('/automations/', { body: automation })).catch(
      (e: unknown) => e,
    );
    expect((error as PrefectApiError).status).toBe(status);
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/automations/']);
  });

  it('sends an increment-with-lease once when the answer times out', async () => {
    // The server may have taken the slot: a second request would take another one.
    const fake = await fakePrefect((_, __, response) => {
      setTimeout(() => json(response, 200, { lease_id: 'l', limits: [] }), 500);
    });
    const client = createPrefectClient({
      apiUrl: fake.apiUrl,
      retryBaseDelayMs: 5,
      requestTimeoutMs: 100,
      csrf: 'off',
    });
    const error = await unwrap(
      client.api.POST('/v2/concurrency_limits/increment-with-lease', {
        body: { names: ['tag:a'], slots: 1, mode: 'concurrency' },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrefectConnectionError);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.requests).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
  });

  it('still retries 429 and 503 for them: the server did no work', async () => {
    let calls = 0;
    const fake = await fakePrefect((_, __, response) => {
      calls += 1;
      if (calls === 1) json(response, 429, { detail: 'slow down' });
      else if (calls === 2) json(response, 503, { detail: 'busy' });
      else json(response, 201, { id: FLOW.id });
    });
    const client = createPrefectClient({ apiUrl: fake.apiUrl, retryBaseDelayMs: 5, csrf: 'off' });
    await unwrap(client.api.POST('/automations/', { body: automation }));
    expect(fake.requests).toHaveLength(3);
  });

  it('still retries refused connections for them: nothing reached a server', async () => {
    const port = await freePort();
    const client = createPrefectClient({
      apiUrl: `http://127.0.0.1:${port}/api`,
      retryBaseDelayMs: 100,
      csrf: 'off',
    });
    setTimeout(
      () => void fakePrefect((_, __, response) => json(response, 201, { id: FLOW.id }), port),
      400,
    );
    await unwrap(client.api.POST('/automations/', { body: automation }));
    expect(client.stats.retries).toBeGreaterThan(0);
  });

  it.each([
    ['/flow_runs/filter', {}],
    ['/flows/', { name: 'f' }],
  ] as const)('retries a 502 and a timeout on the repeatable POST %s', async (path, body) => {
    let calls = 0;
    const fake = await fakePrefect((_, __, response) => {
      calls += 1;
      if (calls === 1) json(response, 502, { detail: 'bad gateway' });
      else if (calls === 2) setTimeout(() => json(response, 200, []), 500);
      else json(response, 200, path === '/flows/' ? FLOW : []);
    });
    const client = createPrefectClient({
      apiUrl: fake.apiUrl,
      retryBaseDelayMs: 5,
      requestTimeoutMs: 200,
      csrf: 'off',
    });
    await unwrap(client.api.POST(path, { body } as never));
    expect(client.stats.retries).toBe(2);
  });
});

describe('auth and CSRF', () => {
  it('sends basic auth and the API version header', async () => {
    const fake = await fakePrefect((_, __, response) => json(response, 200, true));
    const client = createPrefectClient({
      apiUrl: fake.apiUrl,
      authString: 'admin:pa:ss',
      csrf: 'off',
    });
    await unwrap(client.api.GET('/health'));
    expect(fake.requests[0]?.headers['authorization']).toBe(
      `Basic ${Buffer.from('admin:pa:ss').toString('base64')}`,
    );
    expect(fake.requests[0]?.headers['x-prefect-api-version']).toBe('0.8.4');
  });

  it('fetches a CSRF token once, sends it on writes, and renews it when refused', async () => {
    let tokens = 0;
    let rejectNext = false;
    const fake = await fakePrefect((request, _, response) => {
      if (request.url?.startsWith('/api/csrf-token')) {
        tokens += 1;
        const client = new URL(request.url, 'http://x').searchParams.get('client');
        json(response, 200, {
          token: `t${tokens}`,
          client,
          expiration: new Date(Date.now() + 3_600_000).toISOString(),
        });
        return;
      }
      if (rejectNext) {
        rejectNext = false;
        json(response, 403, { detail: 'Invalid CSRF token or client identifier.' });
        return;
      }
      if (request.method === 'GET' || request.headers['prefect-csrf-token'])
        json(response, 201, FLOW);
      else json(response, 403, { detail: 'Missing CSRF token.' });
    });
    const client = createPrefectClient({ apiUrl: fake.apiUrl });
    await unwrap(client.api.POST('/flows/', { body: { name: 'a' } }));
    await unwrap(client.api.POST('/flows/', { body: { name: 'b' } }));
    await unwrap(client.api.GET('/flows/{id}', { params: { path: { id: FLOW.id } } }));
    expect(tokens).toBe(1);
    const writes = fake.requests.filter((r) => r.method === 'POST');
    expect(writes.map((r) => r.headers['prefect-csrf-token'])).toEqual(['t1', 't1']);
    expect(writes[0]?.headers['prefect-csrf-client']).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      fake.requests.find((r) => r.method === 'GET' && r.url.startsWith('/api/flows'))?.headers[
        'prefect-csrf-token'
      ],
    ).toBeUndefined();

    rejectNext = true;
    await unwrap(client.api.POST('/flows/', { body: { name: 'c' } }));
    expect(tokens).toBe(2);
    expect(fake.requests.at(-1)?.headers['prefect-csrf-token']).toBe('t2');
  });

  it('turns CSRF off when the server says it is disabled (422)', async () => {
    const fake = await fakePrefect((request, _, response) => {
      if (request.url?.startsWith('/api/csrf-token'))
        json(response, 422, { detail: 'CSRF protection is disabled.' });
      else json(response, 201, FLOW);
    });
    const client = createPrefectClient({ apiUrl: fake.apiUrl });
    await unwrap(client.api.POST('/flows/', { body: { name: 'a' } }));
    await unwrap(client.api.POST('/flows/', { body: { name: 'b' } }));
    expect(fake.requests.filter((r) => r.url.startsWith('/api/csrf-token'))).toHaveLength(1);
    expect(fake.requests.at(-1)?.headers['prefect-csrf-token']).toBeUndefined();
  });
});

describe('against the real Prefect server', () => {
  const client = createPrefectClient({ apiUrl: inject('prefectApiUrl') });

  it('surfaces 422s for unknown fields with exception_detail', async () => {
    const error = await unwrap(
      client.api.POST('/flows/', {
        body: { name: `strict-${randomUUID()}`, bogus: 1 } as { name: string },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrefectApiError);
    const apiError = error as PrefectApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.exceptionDetail).toContainEqual(
      expect.objectContaining({ loc: ['body', 'bogus'], type: 'extra_forbidden' }),
    );
  });

  it('pages list calls at ≤ 200 through more than one page', async () => {
    const tag = `paging-${randomUUID().slice(0, 8)}`;
    const names = Array.from({ length: 205 }, (_, i) => `${tag}-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(
        names
          .slice(i, i + 25)
          .map((name) =>
            unwrap(client.api.POST('/variables/', { body: { name, value: i, tags: [tag] } })),
          ),
      );
    }
    const all = await collectPages((page) =>
      unwrap(
        client.api.POST('/variables/filter', {
          body: { ...page, sort: 'NAME_ASC', variables: { tags: { all_: [tag] } } },
        }),
      ),
    );
    expect(all.map((v) => v.name)).toEqual(names);
    const tooMany = await unwrap(
      client.api.POST('/variables/filter', { body: { limit: 201 } }),
    ).catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ status: 422 });
  });
});
