// Installs the static-check binaries once per run (seconds when FINKS_CACHE has them).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from './synthetic-workspace.ts';

export default async function setup(): Promise<void> {
  await promisify(execFile)('bash', [join(workspaceRoot, 'tools/ci/install-tools.sh')], {
    cwd: workspaceRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
}
