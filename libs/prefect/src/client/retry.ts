import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The statuses Prefect's own client retries (`src/prefect/client/base.py`): 408 and 429 are
 * "come back later", 502 is a proxy in front of a restarting server, 503 is Prefect's answer to a
 * busy SQLite database or a server that is still starting.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503]);

export interface RetryTiming {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Upper bound for a `Retry-After` wait, which may rightly be longer than our backoff. */
  readonly maxRetryAfterMs: number;
}

/**
 * Delay before retry number `retry` (0-based). `Retry-After` wins over our own backoff when the
 * server sends it: the server knows when its rate-limit bucket refills (Prefect Cloud's 429s) and
 * our guess does not. It is still capped so a bogus header cannot park a worker for hours.
 */
export function retryDelayMs(
  retry: number,
  timing: RetryTiming,
  retryAfterHeader: string | null,
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const retryAfter = parseRetryAfterMs(retryAfterHeader, now);
  if (retryAfter !== undefined) return Math.min(retryAfter, timing.maxRetryAfterMs);
  const exponential = Math.min(timing.baseDelayMs * 2 ** retry, timing.maxDelayMs);
  // Wide jitter (×0.5–1.5): SQLite answers concurrent writers with immediate 503s, and clients
  // that back off in lockstep would collide again on every retry.
  return Math.round(exponential * (0.5 + random()));
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfterMs(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Sleeps, but wakes (rejecting with the signal's reason) as soon as `signal` aborts. */
export async function abortableSleep(
  ms: number,
  signal: AbortSignal | null | undefined,
): Promise<void> {
  await sleep(ms, undefined, signal ? { signal } : {});
}
