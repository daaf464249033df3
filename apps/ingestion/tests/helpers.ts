import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { openLake, type Lake } from '../src/lake/lake-target';
import { readManifestedRecords } from '../src/lake/bronze-reader';
import type { BronzeEnvelope } from '@finks/contracts';

export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_ACCOUNT = '123456789012';

export async function tempLake(): Promise<{ root: string; lake: Lake }> {
  const root = await mkdtemp(join(tmpdir(), 'finks-lake-'));
  return {
    root,
    lake: openLake({ kind: 'filesystem', root, env: 'local', accountId: LOCAL_ACCOUNT }),
  };
}

export async function records(
  lake: Lake,
  source: string,
  dataset: string,
  zone: 'bronze' | 'quarantine' = 'bronze',
): Promise<BronzeEnvelope[]> {
  const rows: BronzeEnvelope[] = [];
  for await (const row of readManifestedRecords(lake, { source, dataset }, zone)) rows.push(row);
  return rows;
}

/** Every file under a directory, gunzipped when compressed, as text. */
export async function allFileText(root: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const body = await readFile(path);
        parts.push(
          path.endsWith('.gz') ? gunzipSync(body).toString('utf8') : body.toString('utf8'),
        );
      }
    }
  };
  await walk(root);
  return parts.join('\n');
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRun {
  readonly child: ReturnType<typeof spawn>;
  readonly done: Promise<CliResult>;
  /** Resolves when a stderr line contains the text. */
  waitFor(text: string): Promise<void>;
}

/** Runs the real CLI (`tsx src/main.ts …`) as a child process. */
export function startCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): CliRun {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(APP_ROOT, 'src/main.ts'), ...args],
    {
      cwd: APP_ROOT,
      env: {
        ...process.env,
        FINKS_ENV: 'local',
        AWS_ENDPOINT_URL: undefined,
        ...env,
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) {
      if (stderr.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    done,
    waitFor: (text) =>
      stderr.includes(text)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ text, resolve })),
  };
}

export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Primary-key strings of stored records, to check "exactly once". */
export function keysOf(rows: readonly BronzeEnvelope[], fields: readonly string[]): string[] {
  return rows.map((row) =>
    fields
      .map((field) => JSON.stringify((row.payload as Record<string, unknown>)[field]))
      .join('|'),
  );
}
