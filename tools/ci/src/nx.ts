// Asks Nx what changed and how projects depend on each other, in a given workspace folder.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PlanError } from './plan-error.ts';
import { affectedProjectsSchema, nxGraphFileSchema, type ProjectGraph } from './project-graph.ts';

const run = promisify(execFile);

async function nx(workspace: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(join(workspace, 'node_modules/.bin/nx'), [...args], {
      cwd: workspace,
      // No daemon: it would outlive a CI step or a test, and one plan needs one graph.
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new PlanError('nx', `nx ${args.join(' ')} failed in ${workspace}: ${stderr.trim()}`, {
      cause: error,
    });
  }
}

export async function affectedProjects(
  workspace: string,
  base: string,
  head: string,
): Promise<string[]> {
  const out = await nx(workspace, [
    'show',
    'projects',
    '--affected',
    `--base=${base}`,
    `--head=${head}`,
    '--json',
  ]);
  return affectedProjectsSchema.parse(JSON.parse(out));
}

export async function projectGraph(workspace: string): Promise<ProjectGraph> {
  const dir = await mkdtemp(join(tmpdir(), 'finks-ci-graph-'));
  try {
    const file = join(dir, 'graph.json');
    await nx(workspace, ['graph', `--file=${file}`]);
    return parseGraphFile(await readFile(file, 'utf8'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function parseGraphFile(text: string): ProjectGraph {
  return nxGraphFileSchema.parse(JSON.parse(text)).graph;
}
