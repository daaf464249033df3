import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PrefectServerOptions {
  /** Port on 127.0.0.1; a free one is picked when omitted. */
  readonly port?: number;
  /** PREFECT_HOME (holds the SQLite database); a fresh temporary directory when omitted. */
  readonly home?: string;
  /** The `prefect` executable; defaults to PREFECT_BIN, then the workspace's `.venv/bin/prefect`. */
  readonly prefectBin?: string;
  /** Extra environment for the server process (e.g. PREFECT_SERVER_CSRF_PROTECTION_ENABLED). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for `GET /api/health`; the first start runs every migration. */
  readonly startTimeoutMs?: number;
}

/**
 * A Prefect server process owned by the caller: for tests that must stop and restart "the"
 * server (the worker's restart test) without touching the shared dev-services one, and for the
 * schema regeneration script.
 */
export interface PrefectServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/api` — what PREFECT_API_URL must hold. */
  readonly apiUrl: string;
  readonly port: number;
  readonly home: string;
  readonly logFile: string;
  /** Starts it again on the same port and database after stop() or kill(). */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL at once: the server dies mid-request, as in a crash. */
  kill(): Promise<void>;
  /** stop() and delete PREFECT_HOME if this helper created it. */
  dispose(): Promise<void>;
}

/**
 * Server settings of ours, the same as the dev services' (tools/dev-env/services.sh). The
 * TaskRunRecorder writes task runs from events in bulk statements whose cost is mostly per
 * statement: with Prefect's default of 100 events each, a flow of 200 small tasks kept the pinned
 * server's single core busy for ≈ 9.5 s and the flow's own requests queued behind it; with 1,000
 * (or every flush interval, 5 s) it is ≈ 3 s, and task runs show up sooner, not later.
 */
const PREFECT_SERVER_TUNING: Readonly<Record<string, string>> = {
  PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE: '1000',
};

export function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Could not find the workspace root (no nx.json above).');
    dir = parent;
  }
  return dir;
}

export function defaultPrefectBin(): string {
  const fromEnv = process.env['PREFECT_BIN'];
  if (fromEnv) return fromEnv;
  const venvBin = join(workspaceRoot(), '.venv', 'bin', 'prefect');
  if (!existsSync(venvBin)) {
    throw new Error(
      `No Prefect executable at ${venvBin}: run 'bash tools/dev-env/python-env.sh' or set PREFECT_BIN.`,
    );
  }
  return venvBin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `GET /api/health` (every 250 ms) until it answers `true` or the deadline passes. */
export async function waitForPrefectHealth(
  apiUrl: string,
  timeoutMs: number,
  isAlive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`The Prefect server process exited before ${apiUrl} was up.`);
    try {
      const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok && (await response.json()) === true) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`Prefect at ${apiUrl} was not healthy after ${timeoutMs} ms (${lastError}).`);
}

export async function startPrefectServer(
  options: PrefectServerOptions = {},
): Promise<PrefectServerProcess> {
  const port = options.port ?? (await freePort());
  const ownsHome = options.home === undefined;
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'finks-prefect-'));
  const prefectBin = options.prefectBin ?? defaultPrefectBin();
  const url = `http://127.0.0.1:${port}`;
  const apiUrl = `${url}/api`;
  const logFile = join(home, 'server.log');
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const log = openSync(logFile, 'a');
    const env: Record<string, string | undefined> = {
      ...process.env,
      PREFECT_HOME: home,
      PREFECT_SERVER_ANALYTICS_ENABLED: 'false',
      PREFECT_SERVER_UI_ENABLED: 'false',
      PREFECT_SERVER_LOGGING_LEVEL: 'WARNING',
      ...PREFECT_SERVER_TUNING,
      ...options.env,
    };
    // A client setting inherited from the caller would point the server's own client elsewhere.
    delete env['PREFECT_API_URL'];
    delete env['PREFECT_API_KEY'];
    const proc = spawn(
      prefectBin,
      ['server', 'start', '--host', '127.0.0.1', '--port', `${port}`],
      {
        env,
        stdio: ['ignore', log, log],
        detached: true,
      },
    );
    closeSync(log);
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    await waitForPrefectHealth(
      apiUrl,
      startTimeoutMs,
      () => proc.exitCode === null && proc.signalCode === null,
    );
  };

  const signal = (sig: NodeJS.Signals): void => {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    try {
      // The server was started detached in its own process group: signal the group so the
      // uvicorn workers and service loops it may fork go down with it.
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  };

  const stop = async (): Promise<void> => {
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const kill = async (): Promise<void> => {
    signal('SIGKILL');
    await exited;
  };

  await start();
  return {
    url,
    apiUrl,
    port,
    home,
    logFile,
    start,
    stop,
    kill,
    async dispose() {
      await stop();
      if (ownsHome) rmSync(home, { recursive: true, force: true });
    },
  };
}
