import { PrefectError } from './prefect-error';

/** A setting is missing or malformed; the message names the variable to fix. */
export class PrefectConfigurationError extends PrefectError {
  override name = 'PrefectConfigurationError';

  constructor(message: string) {
    super('configuration', message);
  }
}
