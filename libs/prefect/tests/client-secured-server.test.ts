import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configurePrefectRuntime,
  createPrefectClient,
  flow,
  getRunContext,
  LOG_LEVELS,
  PrefectApiError,
  task,
  unwrap,
} from '../src/index';
import { startPrefectServer, type PrefectServerProcess } from '../src/testing/index';

// A server of our own with basic auth and CSRF protection on: the shared one runs without.
describe('a Prefect server with basic auth and CSRF protection', () => {
  let server: PrefectServerProcess | undefined;

  beforeAll(async () => {
    server = await startPrefectServer({
      env: {
        PREFECT_SERVER_API_AUTH_STRING: 'admin:test-pass',
        PREFECT_SERVER_CSRF_PROTECTION_ENABLED: 'true',
      },
    });
  }, 240_000);

  afterAll(async () => {
    await server?.dispose();
  }, 60_000);

  it('refuses a client without credentials with a typed 401', async () => {
    const client = createPrefectClient({ apiUrl: server?.apiUrl ?? '' });
    const error = await unwrap(client.api.GET('/admin/version')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrefectApiError);
    expect(error).toMatchObject({ status: 401, code: 'auth' });
  });

  it('refuses writes without a CSRF token', async () => {
    const client = createPrefectClient({
      apiUrl: server?.apiUrl ?? '',
      authString: 'admin:test-pass',
      csrf: 'off',
    });
    const error = await unwrap(client.api.POST('/flows/', { body: { name: 'no-token' } })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 403, exceptionMessage: 'Missing CSRF token.' });
  });

  it('runs flows with auth and CSRF tokens', async () => {
    const client = createPrefectClient({
      apiUrl: server?.apiUrl ?? '',
      authString: 'admin:test-pass',
    });
    await configurePrefectRuntime({
      api: client,
      consoleLevel: LOG_LEVELS.critical,
      handleProcessCrashes: false,
    });
    const double = task('double', (n: number) => n * 2);
    const secured = flow(`secured-${randomUUID().slice(0, 8)}`, async () => ({
      value: await double(21),
      id: getRunContext().flowRunId,
    }));
    const { value, id } = await secured();
    expect(value).toBe(42);
    const run = await unwrap(
      client.api.GET('/flow_runs/{id}', { params: { path: { id: id ?? '' } } }),
    );
    expect(run.state?.type).toBe('COMPLETED');
    const csrfTokenRequests = client.stats.requests;
    expect(csrfTokenRequests).toBeGreaterThan(0);
  });
});
