import { DevServicesError } from './dev-services-error';

/** POST /moto-api/reset did not answer 200. */
export class MotoResetError extends DevServicesError {
  override readonly name = 'MotoResetError';
  readonly code = 'reset_failed' as const;

  constructor(
    readonly endpoint: string,
    readonly status: number | undefined,
    cause?: unknown,
  ) {
    super(
      `Resetting moto at ${endpoint} failed (${status === undefined ? 'no answer' : `HTTP ${status}`})`,
      cause,
    );
  }
}
