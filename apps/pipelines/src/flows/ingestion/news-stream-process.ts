// The local news-stream connector as a supervised background process: started detached with its
// output in a log file, remembered in a pid file, recognised by its command line (a pid alone
// may have been reused by an unrelated process since).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appEntryPoints, workspaceRoot } from '../../master-flow/app-commands';

export interface NewsStreamProcess {
  readonly pid: number;
  readonly startedAt: string;
  readonly correlationId: string;
  readonly logFile: string;
}

export const runDir = (): string =>
  process.env['FINKS_RUN_DIR'] ?? join(workspaceRoot, '.finks/run');
const pidFile = (dir: string) => join(dir, 'news-stream.json');

export async function readNewsStreamProcess(dir = runDir()): Promise<NewsStreamProcess | null> {
  const text = await readFile(pidFile(dir), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as NewsStreamProcess;
  } catch {
    return null; // a torn write: treat as not running; the supervisor starts a new one
  }
}

/** Alive and still the connector we started (checked through /proc on Linux). */
export async function isNewsStreamAlive(state: NewsStreamProcess): Promise<boolean> {
  try {
    process.kill(state.pid, 0);
  } catch {
    return false;
  }
  const cmdline = await readFile(`/proc/${state.pid}/cmdline`, 'utf8').catch(() => null);
  return cmdline === null || cmdline.includes('news-stream');
}

export interface StartNewsStream {
  readonly lakeRoot: string;
  readonly env: string;
  readonly correlationId: string;
  readonly args: readonly string[];
  readonly childEnv: Readonly<Record<string, string>>;
}

export async function startNewsStream(
  options: StartNewsStream,
  dir = runDir(),
): Promise<NewsStreamProcess> {
  await mkdir(dir, { recursive: true });
  const logFile = join(dir, 'news-stream.log');
  const out = openSync(logFile, 'a');
  try {
    // node itself with tsx as a loader (as the connector images run it), not the tsx CLI: the CLI
    // runs the program in a child process of its own, which a SIGKILL of the CLI would orphan.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        appEntryPoints.ingestion,
        'news-stream',
        '--lake=local',
        `--lake-root=${options.lakeRoot}`,
        `--correlation-id=${options.correlationId}`,
        ...options.args,
      ],
      {
        cwd: workspaceRoot,
        detached: true,
        stdio: ['ignore', out, out],
        env: {
          ...process.env,
          FINKS_ENV: options.env,
          FINKS_LAKE_ROOT: options.lakeRoot,
          FINKS_CORRELATION_ID: options.correlationId,
          ...options.childEnv,
        },
      },
    );
    if (child.pid === undefined) throw new Error('news-stream could not be started (no pid)');
    child.unref();
    const state: NewsStreamProcess = {
      pid: child.pid,
      startedAt: new Date().toISOString(),
      correlationId: options.correlationId,
      logFile,
    };
    await writeFile(pidFile(dir), JSON.stringify(state));
    return state;
  } finally {
    closeSync(out);
  }
}

/** SIGTERM (the connector flushes its open micro-batch and exits), SIGKILL after `graceMs`. */
export async function stopNewsStream(
  state: NewsStreamProcess,
  graceMs = 30_000,
  dir = runDir(),
): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(state.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (await isNewsStreamAlive(state))) await sleep(200);
  if (await isNewsStreamAlive(state)) signal('SIGKILL');
  await rm(pidFile(dir), { force: true });
}
