import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { DBT_PROJECT_DIR } from '../app-root';
import { DbtRunnerError } from '../errors/dbt-runner-error';
import { dbtArgs, type DbtInvocation } from './dbt-args';
import { resolveDbtBinary } from './dbt-binary';

export interface SpawnDbtOptions {
  readonly projectDir?: string;
  /** The folder dbt runs in (the profile's relative paths resolve there); default the project's. */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Where dbt's log streams as it runs; the process's stdout by default. */
  readonly log?: Writable;
  readonly dbtBinary?: string;
}

export interface DbtProcessResult {
  readonly args: readonly string[];
  /** dbt's own exit code: 0 success, 1 a model or test failed, 2 dbt itself failed. */
  readonly exitCode: number;
  readonly durationMs: number;
}

/**
 * Runs dbt on the project (in the project's folder unless `cwd` says otherwise), streaming its
 * log, and resolves when it exits.
 */
export function spawnDbt(
  invocation: DbtInvocation,
  options: SpawnDbtOptions = {},
): Promise<DbtProcessResult> {
  const binary = options.dbtBinary ?? resolveDbtBinary();
  const projectDir = options.projectDir ?? DBT_PROJECT_DIR;
  const cwd = options.cwd ?? projectDir;
  const args = [
    ...dbtArgs(invocation),
    ...(cwd === projectDir ? [] : ['--project-dir', projectDir]),
  ];
  const log = options.log ?? process.stdout;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd,
      env: {
        ...process.env,
        DBT_PROFILES_DIR: projectDir,
        // No usage pings: they time out without network and slow every run.
        DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
        DO_NOT_TRACK: '1',
        DBT_USE_COLORS: 'false',
        // dbt.log beside the run's artifacts: concurrent runs (tests, a flow and a bench) would
        // otherwise interleave and rotate one logs/dbt.log in the project folder.
        ...(invocation.targetPath ? { DBT_LOG_PATH: invocation.targetPath } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) =>
      reject(
        new DbtRunnerError(
          'dbt_crashed',
          `could not start ${binary}: ${error.message}`,
          { binary, args },
          { cause: error },
        ),
      ),
    );
    child.on('close', (code, signal) => {
      const durationMs = performance.now() - started;
      if (code === null) {
        reject(
          new DbtRunnerError('dbt_crashed', `dbt was killed by ${signal ?? 'a signal'}`, {
            binary,
            args,
            signal,
          }),
        );
        return;
      }
      resolve({ args, exitCode: code, durationMs });
    });
  });
}
