import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ServicesCommandError } from './errors/services-command-error';
import type { ServiceName } from './service-names';

/** The repository root, found from this file (libs/dev-services/src/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const SERVICES_SCRIPT = join(REPO_ROOT, 'tools', 'dev-env', 'services.sh');

/** Where services.sh keeps pid, log and URL files unless FINKS_RUN_DIR says otherwise. */
export function defaultRunDir(): string {
  return process.env['FINKS_RUN_DIR'] ?? join(REPO_ROOT, '.finks', 'run');
}

export interface ServicesScriptOptions {
  /** FINKS_RUN_DIR for the script: a separate one runs a separate set of services. */
  readonly runDir?: string;
  /** Ports instead of the defaults (5000, 27017, 4200); passed as FINKS_*_PORT. */
  readonly ports?: Partial<Record<ServiceName, number>>;
}

const PORT_ENV: Readonly<Record<ServiceName, string>> = {
  moto: 'FINKS_MOTO_PORT',
  ferretdb: 'FINKS_MONGO_PORT',
  prefect: 'FINKS_PREFECT_PORT',
};

export function scriptEnv(options: ServicesScriptOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.runDir !== undefined) env['FINKS_RUN_DIR'] = options.runDir;
  for (const [service, port] of Object.entries(options.ports ?? {})) {
    env[PORT_ENV[service as ServiceName]] = String(port);
  }
  return env;
}

export interface ScriptResult {
  readonly stdout: string;
  readonly stderr: string;
}

// Longer than services.sh's own limits (lock 15 min, Prefect 3 min): it fails first and says why.
const SCRIPT_TIMEOUT_MS = 20 * 60_000;

/** Runs tools/dev-env/services.sh with the given arguments; rejects with its stderr on failure. */
export function runServicesScript(
  args: readonly string[],
  options: ServicesScriptOptions = {},
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SERVICES_SCRIPT, ...args],
      {
        cwd: REPO_ROOT,
        env: scriptEnv(options),
        timeout: SCRIPT_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const exitCode = typeof error.code === 'number' ? error.code : null;
          reject(new ServicesCommandError(args, exitCode, stderr || error.message, error));
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}
