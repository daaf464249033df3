/** Stable codes callers can branch on; messages are for people and may change. */
export type DevServicesErrorCode = 'not_running' | 'start_failed' | 'stop_failed' | 'reset_failed';

/** Every failure of this lib. Catch this one class; read `code` to tell the cases apart. */
export abstract class DevServicesError extends Error {
  abstract readonly code: DevServicesErrorCode;

  protected constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
