import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENV, isFinksEnv, type FinksEnv } from './environments';
import { ConfigFileNotFoundError } from './errors/config-file-not-found-error';
import { UnknownEnvironmentError } from './errors/unknown-environment-error';
import { parseConfig } from './parse-config';
import type { FinksConfig } from './schema/config-schema';

/** `config/` at the repository root, found from this file's place in `libs/config/src`. */
export const DEFAULT_CONFIG_DIR = fileURLToPath(new URL('../../../config', import.meta.url));

export interface LoadConfigOptions {
  /** Which environment; defaults to `FINKS_ENV`, then `local`. */
  readonly env?: string;
  /**
   * Folder holding `<env>.yaml`; defaults to `FINKS_CONFIG_DIR`, then the repository's
   * `config/` (set the variable where the code is bundled and that folder is elsewhere).
   */
  readonly configDir?: string;
}

/**
 * Reads and validates `<configDir>/<env>.yaml`. Synchronous on purpose: it runs once at start-up,
 * and Pulumi programs need the config before they create any resource. A relative local lake
 * root is resolved against the folder that holds `config/` (the repository root).
 *
 * @throws ConfigError (UnknownEnvironmentError, ConfigFileNotFoundError, ConfigSyntaxError,
 *   ConfigValidationError) naming the file, the field path and every problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): FinksConfig {
  const env = resolveEnv(options);
  const configDir = resolve(
    options.configDir ?? nonEmpty(process.env['FINKS_CONFIG_DIR']) ?? DEFAULT_CONFIG_DIR,
  );
  const file = join(configDir, `${env}.yaml`);

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ConfigFileNotFoundError(file, error);
    throw error;
  }

  const config = parseConfig(text, file);
  if (config.lake.kind === 'filesystem' && !isAbsolute(config.lake.root)) {
    return {
      ...config,
      lake: { ...config.lake, root: resolve(dirname(configDir), config.lake.root) },
    };
  }
  return config;
}

/** The environment `loadConfig` would pick, without reading any file. */
export function resolveEnv(options: Pick<LoadConfigOptions, 'env'> = {}): FinksEnv {
  const fromOption = options.env;
  const fromVariable = nonEmpty(process.env['FINKS_ENV']);
  const [value, source] =
    fromOption !== undefined
      ? [fromOption, 'env option']
      : fromVariable !== undefined
        ? [fromVariable, 'FINKS_ENV']
        : [DEFAULT_ENV, 'default env'];
  if (!isFinksEnv(value)) throw new UnknownEnvironmentError(value, source);
  return value;
}

// An exported-but-empty variable (`FINKS_ENV=`) means "not set", not "the env named ''".
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
