import { IngestionError, type IngestionErrorCode } from './ingestion-error';

/** What was asked: the endpoint and its parameters, never the API key. */
export interface FmpRequestContext {
  readonly endpoint: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status?: number;
  readonly attempts?: number;
}

export class FmpRequestError extends IngestionError {
  override readonly name = 'FmpRequestError';
  readonly request: FmpRequestContext;
  /** Whether another attempt may succeed (429, 5xx, network); auth and plan errors never do. */
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: IngestionErrorCode,
    message: string,
    request: FmpRequestContext,
    options: { retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(
      code,
      `${message} (GET ${request.endpoint}${describeParams(request.params)}${request.status === undefined ? '' : `, HTTP ${request.status}`})`,
      { cause: options.cause },
    );
    this.request = request;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

function describeParams(params: Readonly<Record<string, string>>): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? '' : `?${entries.map(([k, v]) => `${k}=${v}`).join('&')}`;
}
