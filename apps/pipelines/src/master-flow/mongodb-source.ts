// Where the local run finds its portfolio database: MONGODB_URI when set, else the project's own
// FerretDB (the MongoDB wire protocol on SQLite), started by tools/dev-env/services.sh.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from './app-commands';
import { StepFailedError } from './step-failed-error';

const exec = promisify(execFile);

export async function resolveMongodbUri(fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  try {
    await exec('bash', [join(workspaceRoot, 'tools/dev-env/services.sh'), 'start', 'ferretdb'], {
      cwd: workspaceRoot,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new StepFailedError(
      'starting FerretDB',
      'failed; set MONGODB_URI to a MongoDB you can reach, or fix the start',
      stderr.split('\n').slice(-10),
    );
  }
  const runDir = process.env['FINKS_RUN_DIR'] ?? join(workspaceRoot, '.finks/run');
  return (await readFile(join(runDir, 'ferretdb.url'), 'utf8')).trim();
}
