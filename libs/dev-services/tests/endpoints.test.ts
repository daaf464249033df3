import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  mongoUri,
  motoEndpoint,
  prefectApiUrl,
  ServiceNotRunningError,
  type DevServicesError,
} from '../src/index';

describe('service URL helpers', () => {
  let runDir: string;

  beforeEach(() => {
    runDir = mkdtempSync(join(tmpdir(), 'finks-run-'));
    vi.stubEnv('FINKS_RUN_DIR', runDir);
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    vi.stubEnv('MONGODB_URI', '');
    vi.stubEnv('PREFECT_API_URL', '');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(runDir, { recursive: true, force: true });
  });

  it('prefer the environment a global setup exported', () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:5999');
    vi.stubEnv('MONGODB_URI', 'mongodb://127.0.0.1:27999/');
    vi.stubEnv('PREFECT_API_URL', 'http://127.0.0.1:4999/api');
    writeFileSync(join(runDir, 'moto.url'), 'http://127.0.0.1:1\n');

    expect(motoEndpoint()).toBe('http://127.0.0.1:5999');
    expect(mongoUri()).toBe('mongodb://127.0.0.1:27999/');
    expect(prefectApiUrl()).toBe('http://127.0.0.1:4999/api');
  });

  it('fall back to the URL files services.sh writes in the run dir', () => {
    writeFileSync(join(runDir, 'moto.url'), 'http://127.0.0.1:5001\n');
    writeFileSync(join(runDir, 'ferretdb.url'), 'mongodb://127.0.0.1:27001/\n');
    writeFileSync(join(runDir, 'prefect.url'), 'http://127.0.0.1:4201/api\n');

    expect(motoEndpoint()).toBe('http://127.0.0.1:5001');
    expect(mongoUri()).toBe('mongodb://127.0.0.1:27001/');
    expect(prefectApiUrl()).toBe('http://127.0.0.1:4201/api');
  });

  it('throw an error that names the variable, the file and the start command', () => {
    let caught: unknown;
    try {
      prefectApiUrl();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ServiceNotRunningError);
    const error = caught as DevServicesError;
    expect(error.code).toBe('not_running');
    expect(error.message).toContain('PREFECT_API_URL is unset');
    expect(error.message).toContain(join(runDir, 'prefect.url'));
    expect(error.message).toContain('bash tools/dev-env/services.sh start prefect');
  });
});
