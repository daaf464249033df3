// deploy.sh: the environment's manifest for slim CI comes first and needs no cloud (dbt parse);
// then the script stops with a sentence naming what this machine lacks (no AWS account, no
// Docker daemon here) before building any image.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEPLOY_SH = join(ROOT, 'apps/dbt-runner/deploy.sh');

function deploy(env: Record<string, string>, args: readonly string[]) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', [DEPLOY_SH, ...args], {
      // No inherited credentials or AWS endpoint: what a machine without an account looks like.
      env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('dbt-runner deploy.sh', () => {
  it('refuses an environment that cannot be deployed', async () => {
    const { code, stderr } = await deploy({}, ['local']);
    expect(code).toBe(1);
    expect(stderr).toContain('environment "local" cannot be deployed; use dev, staging or prod');
  });

  it("writes the env's manifest for slim CI, then names the missing AWS access before any build", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'finks-dbt-state-'));
    const { code, stderr } = await deploy({ FINKS_DBT_STATE_DIR: stateDir }, ['staging']);
    const manifest = JSON.parse(
      await readFile(join(stateDir, 'staging', 'manifest.json'), 'utf8'),
    ) as {
      nodes: Record<string, { resource_type: string }>;
      metadata: { adapter_type: string };
    };
    // The staging target is Athena's: slim CI compares PRs against this adapter's manifest.
    expect(manifest.metadata.adapter_type).toBe('athena');
    expect(
      Object.keys(manifest.nodes).filter((id) => id.startsWith('model.')).length,
    ).toBeGreaterThan(10);
    expect(code).toBe(1);
    expect(stderr).toMatch(/the aws CLI is not installed|no usable AWS credentials|no AWS region/);
    expect(stderr).not.toContain('building the runner');
  }, 180_000);
});
