import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../src/cli/next-task-revision.ts', import.meta.url));
const IMAGE =
  '123456789012.dkr.ecr.ca-central-1.amazonaws.com/finks/dev/pipelines/worker:worker-abc1234';

/** Runs the CLI as deploy.sh does: through tsx, the description piped on stdin. */
function cli(args: readonly string[], stdin: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('npx', ['tsx', CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const DESCRIBED = JSON.stringify({
  taskDefinition: {
    family: 'finks-dev-pipelines-worker',
    revision: 1,
    status: 'ACTIVE',
    cpu: '256',
    containerDefinitions: [{ name: 'worker', image: 'old:worker-1', essential: true }],
  },
});

describe('next-task-revision CLI', () => {
  it('prints the register input for the new image on stdout', async () => {
    const result = await cli(['worker', IMAGE], DESCRIBED);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      family: 'finks-dev-pipelines-worker',
      cpu: '256',
      containerDefinitions: [{ name: 'worker', image: IMAGE, essential: true }],
    });
  });

  it('fails with one line naming the fix, and nothing on stdout', async () => {
    const wrongContainer = await cli(['fmp', IMAGE], DESCRIBED);
    expect(wrongContainer).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'next-task-revision: task family finks-dev-pipelines-worker has no container "fmp" (it has worker); deploy infrastructure for this environment first\n',
    });
    const notJson = await cli(['worker', IMAGE], 'An error occurred (ClientException)');
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^next-task-revision: the input is not JSON; pipe the output/);
  });

  it('prints its usage when the arguments are wrong', async () => {
    const result = await cli(['worker'], DESCRIBED);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: next-task-revision <container> <image>');
  });
});
