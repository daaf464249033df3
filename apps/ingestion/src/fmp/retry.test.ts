import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelayMs', () => {
  it('draws full jitter from 0 up to base·2^(attempt-1), capped', () => {
    expect(retryDelayMs(1, policy, undefined, () => 0.999)).toBe(99);
    expect(retryDelayMs(3, policy, undefined, () => 0.999)).toBe(399);
    expect(retryDelayMs(10, policy, undefined, () => 0.999)).toBe(999);
    expect(retryDelayMs(3, policy, undefined, () => 0)).toBe(0);
  });

  it('lets Retry-After win over the backoff, within the cap and without jitter', () => {
    expect(retryDelayMs(1, policy, 700, () => 0)).toBe(700);
    expect(retryDelayMs(1, policy, 60_000, () => 0)).toBe(1000);
  });

  it('stays within bounds for any random draw', () => {
    for (let attempt = 1; attempt < 12; attempt++) {
      for (const draw of [0, 0.25, 0.5, 0.999999]) {
        const delay = retryDelayMs(attempt, policy, undefined, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(1000, 100 * 2 ** (attempt - 1)));
      }
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, ignores junk', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
