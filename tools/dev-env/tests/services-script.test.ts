import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '@finks/dev-services';

const SERVICES_SH = fileURLToPath(new URL('../services.sh', import.meta.url));

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function services(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SERVICES_SH, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

describe('services.sh with the shared services', () => {
  it('reports every service running, at the URL the tests were given', async () => {
    const { urls } = inject('finksServices');
    const status = await services(['status']);

    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^moto +running +${urls.moto} \\(pid \\d+\\)$`, 'm'));
    expect(status.stdout).toMatch(
      new RegExp(`^ferretdb +running +${urls.ferretdb} \\(pid \\d+\\)$`, 'm'),
    );
    expect(status.stdout).toMatch(
      new RegExp(`^prefect +running +${urls.prefect} \\(pid \\d+\\)$`, 'm'),
    );
  });
});

// The rest runs moto on a spare port with a run dir of its own, away from the shared services.
describe('services.sh on a private run dir', () => {
  let env: Record<string, string>;
  let port: number;

  beforeEach(async () => {
    port = await freePort();
    env = {
      FINKS_RUN_DIR: mkdtempSync(join(tmpdir(), 'finks-run-')),
      FINKS_MOTO_PORT: String(port),
    };
  });

  afterEach(async () => {
    await services(['stop', 'moto'], env);
    rmSync(env['FINKS_RUN_DIR'] ?? '', { recursive: true, force: true });
  });

  const pidFile = () => join(env['FINKS_RUN_DIR'] ?? '', 'moto.pid');
  const motoPid = () => Number(readFileSync(pidFile(), 'utf8').split(' ')[0]);

  it('starts, reuses on a second start, reports and stops a service', async () => {
    const first = await services(['start', 'moto'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(`moto      http://127.0.0.1:${port}`);
    const pid = motoPid();
    expect(isAlive(pid)).toBe(true);

    const second = await services(['start', 'moto'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`moto already running (pid ${pid}), reusing it`);
    expect(second.stderr).not.toContain('starting moto');
    expect(motoPid()).toBe(pid);

    const status = await services(['status', 'moto'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running    http://127.0.0.1:${port} (pid ${pid})`);
    expect((await services(['env', 'moto'], env)).stdout).toContain(
      `export AWS_ENDPOINT_URL=http://127.0.0.1:${port}\n`,
    );
    expect(readFileSync(join(env['FINKS_RUN_DIR'] ?? '', 'services.env'), 'utf8')).toContain(
      `export AWS_ENDPOINT_URL=http://127.0.0.1:${port}\n`,
    );

    const stop = await services(['stop', 'moto'], env);
    expect(stop.code, stop.stderr).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(pidFile())).toBe(false);
    const after = await services(['status', 'moto'], env);
    expect(after.code).toBe(3);
    expect(after.stdout).toMatch(/^moto +stopped$/m);
  });

  it('refuses to start when a process it did not start holds the port', async () => {
    const foreign = createServer();
    await new Promise<void>((resolve) => foreign.listen(port, '127.0.0.1', resolve));
    try {
      const start = await services(['start', 'moto'], env);

      expect(start.code).not.toBe(0);
      expect(start.stderr).toContain(
        `cannot start moto: port ${port} is already in use by a process this script did not start`,
      );
      expect(start.stderr).toContain('FINKS_MOTO_PORT');
      expect(existsSync(pidFile())).toBe(false);
      expect(foreign.listening).toBe(true);

      const status = await services(['status', 'moto'], env);
      expect(status.code).toBe(3);
      expect(status.stdout).toContain(`port ${port} is taken by a process not started here`);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it('uses a healthy server it did not start when FINKS_SERVICES_EXTERNAL=1, and leaves it running', async () => {
    // The "foreign" moto: started from another run dir, as docker compose would run one.
    const otherEnv = { ...env, FINKS_RUN_DIR: mkdtempSync(join(tmpdir(), 'finks-run-')) };
    try {
      expect((await services(['start', 'moto'], otherEnv)).code).toBe(0);
      const externalEnv = { ...env, FINKS_SERVICES_EXTERNAL: '1' };

      const start = await services(['start', 'moto'], externalEnv);
      expect(start.code, start.stderr).toBe(0);
      expect(start.stderr).toContain(`moto: using the server already on port ${port}`);
      expect(existsSync(pidFile())).toBe(false);
      expect((await services(['status', 'moto'], externalEnv)).stdout).toMatch(
        new RegExp(`^moto +external +http://127.0.0.1:${port} \\(not started here\\)$`, 'm'),
      );
      expect((await services(['env', 'moto'], externalEnv)).stdout).toContain(
        `export AWS_ENDPOINT_URL=http://127.0.0.1:${port}\n`,
      );

      expect((await services(['stop', 'moto'], externalEnv)).code).toBe(0);
      expect((await services(['status', 'moto'], otherEnv)).code).toBe(0);
    } finally {
      await services(['stop', 'moto'], otherEnv);
      rmSync(otherEnv.FINKS_RUN_DIR, { recursive: true, force: true });
    }
  });

  it('never kills a process its pid file names unless it is the service it started', async () => {
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    const pid = stranger.pid ?? 0;
    try {
      // A pid file that names a live process with the right start time, but not moto: pid reuse.
      writeFileSync(pidFile(), `${pid} ${startTime(pid)}\n`);

      const stop = await services(['stop', 'moto'], env);

      expect(stop.code, stop.stderr).toBe(0);
      expect(stop.stderr).toContain('names no process of ours');
      expect(isAlive(pid)).toBe(true);
      expect(existsSync(pidFile())).toBe(false);
    } finally {
      stranger.kill();
    }
  });
});
