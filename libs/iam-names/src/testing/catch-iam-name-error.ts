import { IamNameError } from '../iam-name-error';

/** Runs `fn` and returns the IamNameError it throws; anything else fails the test. */
export function catchIamNameError(fn: () => unknown): IamNameError {
  try {
    fn();
  } catch (error) {
    if (error instanceof IamNameError) return error;
    throw error;
  }
  throw new Error('expected an IamNameError, but nothing was thrown');
}
