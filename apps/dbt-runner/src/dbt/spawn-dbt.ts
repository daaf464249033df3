import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { APP_ROOT, DBT_PROJECT_DIR } from '../app-root';
import { DbtRunnerError } from '../errors/dbt-runner-error';
import { dbtArgs, dbtParseArgs, type DbtInvocation } from './dbt-args';
import { resolveDbtBinary } from './dbt-binary';

/** Imports and parses, then runs dbt on `go` (see the script). */
const HELD_DBT_SCRIPT = join(APP_ROOT, 'src', 'dbt', 'held_dbt.py');

/** held_dbt.py's exit code when released without `go`: dbt never ran. */
export const HELD_NOT_RELEASED = 3;

export interface SpawnDbtOptions {
  readonly projectDir?: string;
  /** The folder dbt runs in (the profile's relative paths resolve there); default the project's. */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Where dbt's log streams as it runs; the process's stdout by default. */
  readonly log?: Writable;
  readonly dbtBinary?: string;
  /**
   * Start dbt now (its import and the parse) and run it once this resolves: true runs it, false
   * ends it with HELD_NOT_RELEASED without running anything. Runs held_dbt.py with the Python
   * beside the dbt executable.
   */
  readonly hold?: Promise<boolean>;
}

export interface DbtProcessResult {
  readonly args: readonly string[];
  /**
   * dbt's own exit code: 0 success, 1 a model or test failed, 2 dbt itself failed; a held run
   * also 3 (HELD_NOT_RELEASED): never told to run.
   */
  readonly exitCode: number;
  /** From the start; a held run's includes its wait for the go. */
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
  const command = options.hold ? pythonBeside(binary) : binary;
  const commandArgs = options.hold
    ? [
        HELD_DBT_SCRIPT,
        JSON.stringify([
          ...dbtParseArgs(invocation),
          ...(cwd === projectDir ? [] : ['--project-dir', projectDir]),
        ]),
        JSON.stringify(args),
      ]
    : args;
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
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
      stdio: 'pipe',
    });
    // dbt reads no input; a held one reads its go. A child that has died (a crash while
    // parsing) has closed its end: nothing to tell it then.
    child.stdin.on('error', () => undefined);
    if (options.hold) {
      void options.hold.then(
        (go) => child.stdin.end(go ? 'go\n' : ''),
        () => child.stdin.end(),
      );
    } else child.stdin.end();
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) =>
      reject(
        new DbtRunnerError(
          'dbt_crashed',
          `could not start ${command}: ${error.message}`,
          { binary: command, args },
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

/** The Python of dbt's venv (`<venv>/bin/dbt` → `<venv>/bin/python`), which imports dbt. */
function pythonBeside(dbtBinary: string): string {
  const python = join(dirname(dbtBinary), 'python');
  if (!existsSync(python)) {
    throw new DbtRunnerError(
      'dbt_not_found',
      `a held run needs the Python beside ${dbtBinary}, and ${python} does not exist: point DBT_BIN at the dbt of a venv, or run without --hold`,
      { path: python },
    );
  }
  return python;
}
