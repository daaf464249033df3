import { ConfigError } from './config-error';

/** The environment is known but its YAML file is not where we looked. */
export class ConfigFileNotFoundError extends ConfigError {
  override readonly name = 'ConfigFileNotFoundError';
  readonly code = 'missing_file' as const;

  constructor(file: string, cause: unknown) {
    super(
      `Config file ${file} does not exist (set configDir or FINKS_CONFIG_DIR if it lives elsewhere)`,
      { file, cause },
    );
  }
}
