import { PrefectError } from './prefect-error';

/** An argument this lib was given would be refused by Prefect; the message says which rule. */
export class PrefectArgumentError extends PrefectError {
  override name = 'PrefectArgumentError';

  constructor(message: string) {
    super('invalid_argument', message);
  }
}
