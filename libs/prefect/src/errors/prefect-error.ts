/**
 * Stable codes for everything this lib throws, so callers branch on `code` rather than on
 * message text or class identity (which breaks across duplicated module copies).
 */
export type PrefectErrorCode =
  | 'bad_request'
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_request'
  | 'rate_limited'
  | 'server'
  | 'unavailable'
  | 'connection'
  | 'configuration'
  | 'invalid_argument'
  | 'orchestration'
  | 'timeout'
  | 'interrupted'
  | 'task_failed'
  | 'flow_failed';

/** Base class of every error this lib throws. */
export class PrefectError extends Error {
  override name = 'PrefectError';
  readonly code: PrefectErrorCode;

  constructor(code: PrefectErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
