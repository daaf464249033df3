import { describe, expect, it } from 'vitest';
import { backoffDelayMs, sleep } from './backoff';

describe('backoffDelayMs', () => {
  it('doubles from the initial wait and stops at the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((attempt) =>
      backoffDelayMs(attempt, { initialMs: 1_000, maxMs: 10_000 }),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});

describe('sleep', () => {
  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });
});
