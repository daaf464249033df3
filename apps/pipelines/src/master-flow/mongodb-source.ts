// Where the local run finds its portfolio database: MONGODB_URI when set, else the project's own
// FerretDB (the MongoDB wire protocol on SQLite), started by tools/dev-env/services.sh.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from './app-commands';

const exec = promisify(execFile);

/**
 * MONGODB_URI, else the project's FerretDB once started. When FerretDB cannot start, undefined:
 * the run goes on without a database (the demo portfolios reach bronze from a snapshot file),
 * after saying why here.
 */
export async function resolveMongodbUri(
  fromEnv: string | undefined,
  warn: (text: string) => void = (text) => console.error(text),
): Promise<string | undefined> {
  if (fromEnv) return fromEnv;
  try {
    await exec('bash', [join(workspaceRoot, 'tools/dev-env/services.sh'), 'start', 'ferretdb'], {
      cwd: workspaceRoot,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    warn(
      `FerretDB did not start, so this run has no portfolio database (set MONGODB_URI to use one):\n  ` +
        stderr.trim().split('\n').slice(-5).join('\n  '),
    );
    return undefined;
  }
  const runDir = process.env['FINKS_RUN_DIR'] ?? join(workspaceRoot, '.finks/run');
  return (await readFile(join(runDir, 'ferretdb.url'), 'utf8')).trim();
}
