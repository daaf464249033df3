import { LakePathError } from '../lake-path-error';

/** Runs `fn` and returns the LakePathError it throws; anything else fails the test. */
export function catchLakePathError(fn: () => unknown): LakePathError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LakePathError) return error;
    throw error;
  }
  throw new Error('expected a LakePathError, but nothing was thrown');
}
