import { ENVIRONMENTS } from '../environments';
import { ConfigError } from './config-error';

/** `FINKS_ENV` (or the `env` option) names no environment we have a config file for. */
export class UnknownEnvironmentError extends ConfigError {
  override readonly name = 'UnknownEnvironmentError';
  readonly code = 'unknown_env' as const;
  readonly env: string;

  constructor(env: string, source: string) {
    super(
      `${source} ${JSON.stringify(env)} is not a Finks environment; use one of: ${ENVIRONMENTS.join(', ')}`,
    );
    this.env = env;
  }
}
