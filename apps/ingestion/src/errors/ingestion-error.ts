/**
 * Stable error codes: callers branch on `code`, people read `message`. `auth` and `plan` mean a
 * human must act (key, subscription); the rest describe the data or the source's health.
 */
export type IngestionErrorCode =
  | 'rate_limited'
  | 'auth'
  | 'plan'
  | 'not_found'
  | 'server'
  | 'network'
  | 'bad_response'
  | 'invalid_record'
  | 'error_budget'
  | 'config'
  | 'lake';

export class IngestionError extends Error {
  override readonly name: string = 'IngestionError';
  readonly code: IngestionErrorCode;

  constructor(code: IngestionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
