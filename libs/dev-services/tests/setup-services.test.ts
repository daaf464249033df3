import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  freePort,
  resetMoto,
  runServicesScript,
  ServicesCommandError,
  setupServices,
  type ServicesScriptOptions,
} from '../src/index';

// Each test runs its own moto on a spare port with its own run dir, so the shared services on the
// default ports (which other projects' tests may be using right now) are never touched.
describe('setupServices', () => {
  let options: ServicesScriptOptions & { runDir: string; ports: { moto: number } };
  let endpoint: string;

  beforeEach(async () => {
    const port = await freePort();
    options = { runDir: mkdtempSync(join(tmpdir(), 'finks-run-')), ports: { moto: port } };
    endpoint = `http://127.0.0.1:${port}`;
  });

  afterEach(async () => {
    await runServicesScript(['stop', 'moto'], options);
    rmSync(options.runDir, { recursive: true, force: true });
  });

  async function motoAnswers(): Promise<boolean> {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  it('starts a missing service, returns its URL and environment, and stops it on teardown', async () => {
    const services = await setupServices(['moto'], options);

    expect(services.urls).toEqual({ moto: endpoint });
    expect(services.env).toMatchObject({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect(services.env).not.toHaveProperty('MONGODB_URI');
    expect(await motoAnswers()).toBe(true);

    await services.teardown();
    expect(await motoAnswers()).toBe(false);
    expect(existsSync(join(options.runDir, 'moto.pid'))).toBe(false);
  });

  it('keeps a service it started running while another test run still uses it', async () => {
    const first = await setupServices(['moto'], options);
    const second = await setupServices(['moto'], options);
    expect(second.urls).toEqual(first.urls);

    await first.teardown();
    expect(await motoAnswers()).toBe(true);

    await second.teardown();
    expect(await motoAnswers()).toBe(false);
  });

  it('leaves a service that was already running (started by a person or CI) running', async () => {
    await runServicesScript(['start', 'moto'], options);
    const services = await setupServices(['moto'], options);

    await services.teardown();
    expect(await motoAnswers()).toBe(true);
  });

  it('throws, naming the cause, when a service cannot start because its port is taken', async () => {
    const foreign: Server = createServer();
    await new Promise<void>((resolve) => foreign.listen(options.ports.moto, '127.0.0.1', resolve));
    try {
      const setup = setupServices(['moto'], options);
      await expect(setup).rejects.toBeInstanceOf(ServicesCommandError);
      await expect(setup).rejects.toMatchObject({
        code: 'start_failed',
        message: expect.stringMatching(
          new RegExp(
            `port ${options.ports.moto} is already in use by a process this script did not start`,
          ),
        ),
      });
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });
});

describe('resetMoto', () => {
  it('empties every moto backend', async () => {
    const port = await freePort();
    const runDir = mkdtempSync(join(tmpdir(), 'finks-run-'));
    const services = await setupServices(['moto'], { runDir, ports: { moto: port } });
    const endpoint = services.urls.moto ?? '';
    const listBuckets = async () => (await fetch(`${endpoint}/`)).text();
    try {
      // moto takes unsigned S3 REST calls, so no SDK is needed to make some state.
      expect((await fetch(`${endpoint}/reset-probe`, { method: 'PUT' })).status).toBe(200);
      expect(await listBuckets()).toContain('<Name>reset-probe</Name>');

      await resetMoto(endpoint);
      expect(await listBuckets()).not.toContain('reset-probe');
    } finally {
      await services.teardown();
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
