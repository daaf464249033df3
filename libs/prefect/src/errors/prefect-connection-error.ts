import type { PrefectRequestContext } from './prefect-api-error';
import { PrefectError } from './prefect-error';

/** No HTTP answer at all (refused, reset, timed out) after every retry was spent. */
export class PrefectConnectionError extends PrefectError {
  override name = 'PrefectConnectionError';
  readonly request: PrefectRequestContext;

  constructor(request: PrefectRequestContext, cause: unknown) {
    const reason = cause instanceof Error ? describeCause(cause) : String(cause);
    super('connection', `Could not reach the Prefect API at ${request.url}: ${reason}`, { cause });
    this.request = request;
  }
}

function describeCause(error: Error): string {
  // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, …) in `cause`.
  const inner = error.cause;
  if (inner instanceof Error) {
    const code = (inner as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${inner.message})` : inner.message;
  }
  return error.message;
}
