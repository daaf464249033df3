// Runs the repository's check scripts and the tools install-tools.sh put in FINKS_CACHE,
// returning the exit code instead of throwing, so a test can expect a failure.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from './synthetic-workspace.ts';

export const ciBin = join(process.env['FINKS_CACHE'] ?? join(homedir(), '.cache/finks'), 'ci-bin');

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd ?? workspaceRoot,
      env: {
        ...process.env,
        PATH: `${ciBin}:${process.env['PATH'] ?? ''}`,
        NX_DAEMON: 'false',
        ...options.env,
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

export const script = (name: string) => join(workspaceRoot, 'tools/ci', name);
