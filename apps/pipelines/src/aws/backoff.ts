// Polling AWS for a state change: exponential backoff capped at a maximum, so a long task costs
// few API calls while a short one is noticed soon after it ends.
import { getRunLogger } from '@finks/prefect';

export interface BackoffOptions {
  /** First wait (default 2 s). */
  readonly initialMs?: number;
  /** Longest wait (default 30 s). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
}

/** The wait before poll number `attempt` (0-based). */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 2_000;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  return Math.min(max, initial * factor ** attempt);
}

/** Waits `ms`, rejecting with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs a caller's "started" callback. Its failure must not leave the AWS run unwatched (the
 * caller would never learn how it ended), so it is logged and the wait goes on.
 */
export async function notifyStarted(
  callback: ((id: string) => void | Promise<void>) | undefined,
  id: string,
): Promise<void> {
  try {
    await callback?.(id);
  } catch (error) {
    getRunLogger().warning(`The onStarted callback for ${id} failed: ${(error as Error).message}`);
  }
}
