import { AwsStepError } from './aws-step-error';

/** A request to an AWS task that cannot be sent as it is; the message names the field and fix. */
export class AwsInputError extends AwsStepError {
  override name = 'AwsInputError';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super('invalid_input', `${field} ${problem}`);
  }
}
