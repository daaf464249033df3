import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('spaces calls at callsPerMinute/60 per second, shared by concurrent callers', async () => {
    const limiter = new RateLimiter({ callsPerMinute: 1200, callsPerDay: null, maxConcurrent: 10 });
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const release = await limiter.acquire();
        times.push(Date.now() - started);
        release();
      }),
    );
    // One token at start, then one per 50 ms: the sixth call waits about 250 ms.
    expect(Math.max(...times)).toBeGreaterThanOrEqual(240);
    expect(Math.max(...times)).toBeLessThan(1000);
  });

  it('makes up for a late wake-up within its slack, and does not burst at start', async () => {
    let now = 0;
    // 1200/min: one token per 50 ms, slack of half a second (10 tokens).
    const limiter = new RateLimiter({
      callsPerMinute: 1200,
      callsPerDay: null,
      maxConcurrent: 10,
      now: () => now,
    });
    const served = (promise: Promise<unknown>) => {
      let done = false;
      void promise.then(() => (done = true));
      return new Promise<boolean>((resolve) => setImmediate(() => resolve(done)));
    };
    expect(await served(limiter.acquire())).toBe(true);
    const early = limiter.acquire();
    expect(await served(early)).toBe(false); // no second token at start
    now = 50;
    await early;
    // The process was busy for 100 ms more: two calls are owed and go at once.
    now = 150;
    expect(await served(limiter.acquire())).toBe(true);
    expect(await served(limiter.acquire())).toBe(true);
    expect(await served(limiter.acquire())).toBe(false);
  });

  it('never lets more than maxConcurrent calls run at once', async () => {
    const limiter = new RateLimiter({
      callsPerMinute: 600_000,
      callsPerDay: null,
      maxConcurrent: 2,
    });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await limiter.acquire();
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
        release();
      }),
    );
    expect(peak).toBe(2);
  });

  it('fails with a rate_limited error naming the daily cap once it is used up', async () => {
    const limiter = new RateLimiter({ callsPerMinute: 600_000, callsPerDay: 2, maxConcurrent: 5 });
    (await limiter.acquire())();
    (await limiter.acquire())();
    await expect(limiter.acquire()).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('daily limit of 2 calls'),
    });
  });
});
