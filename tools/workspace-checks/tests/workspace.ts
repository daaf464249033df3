// Helpers for tests that look at the workspace as a whole: run nx and read what it reports.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const run = promisify(execFile);

export async function nx(args: readonly string[]): Promise<string> {
  const { stdout } = await run(join(workspaceRoot, 'node_modules/.bin/nx'), [...args], {
    cwd: workspaceRoot,
    // The daemon would outlive the test; a plain run keeps the test self-contained.
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Runs an nx command that writes JSON to a file (`--file=`/`--graph=`) and returns the parsed JSON. */
export async function nxJson<T>(args: (file: string) => readonly string[]): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'finks-nx-'));
  try {
    const file = join(dir, 'out.json');
    await nx(args(file));
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ProjectGraph {
  graph: {
    nodes: Record<string, { type: string; data: { root: string; tags?: string[] } }>;
    dependencies: Record<string, { source: string; target: string; type: string }[]>;
  };
}

export interface TaskGraph {
  tasks: { dependencies: Record<string, { id: string }[]> };
}
