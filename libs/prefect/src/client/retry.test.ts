import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs, RETRYABLE_STATUSES, retryDelayMs } from './retry';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('3', now)).toBe(3_000);
    expect(parseRetryAfterMs('0.5', now)).toBe(500);
    expect(parseRetryAfterMs('Wed, 25 Nov 2026 12:00:07 GMT', now)).toBe(7_000);
    expect(parseRetryAfterMs('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent or malformed headers', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  const timing = { baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 60_000 };

  it('backs off exponentially with jitter, capped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (retry, r) => {
          const delay = retryDelayMs(retry, timing, null, 0, () => r);
          const nominal = Math.min(200 * 2 ** retry, 5_000);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.5));
          expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.5));
        },
      ),
    );
  });

  it('lets Retry-After win over the backoff, up to the cap', () => {
    expect(retryDelayMs(0, timing, '4', 0)).toBe(4_000);
    expect(retryDelayMs(5, timing, '1', 0)).toBe(1_000);
    expect(retryDelayMs(0, timing, '30', 0)).toBe(30_000);
    expect(retryDelayMs(0, timing, '3600', 0)).toBe(60_000);
  });

  it('retries exactly the statuses Prefect’s own client retries', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 429, 502, 503]);
  });
});
