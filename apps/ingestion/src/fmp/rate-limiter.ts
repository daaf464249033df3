import { IngestionError } from '../errors';
import { sleep } from './retry';

export interface RateLimiterOptions {
  readonly callsPerMinute: number;
  readonly callsPerDay: number | null;
  readonly maxConcurrent: number;
  /**
   * Tokens the bucket holds at most; default half a second of calls (at least 1). With room for
   * one token only, a call whose timer fired late (the event loop was busy validating a large
   * response) loses that time for good, and the achieved rate fell to ~86 % of the plan's; the
   * slack lets the next calls catch up. Half a second stays inside what per-minute limits
   * tolerate (the fake market's bucket holds a full second).
   */
  readonly burst?: number;
  readonly now?: () => number;
}

/**
 * A token bucket refilled at callsPerMinute/60 per second, plus a daily count and a cap on calls
 * in flight. One instance is shared by every request of the process.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly perMs: number;
  private readonly capacity: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private dayCalls = 0;
  private day: string;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.capacity = Math.max(1, options.burst ?? options.callsPerMinute / 120);
    // Start with one token, not a full bucket: the slack is for catching up, not a first burst.
    this.tokens = 1;
    this.last = this.now();
    this.perMs = options.callsPerMinute / 60_000;
    this.day = new Date(this.last).toISOString().slice(0, 10);
  }

  /** Waits for a token and a concurrency slot; returns the release function. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    await this.slot();
    try {
      await this.token(signal);
    } catch (error) {
      this.release();
      throw error;
    }
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.release();
      }
    };
  }

  private slot(): Promise<void> {
    if (this.inFlight < this.options.maxConcurrent) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  // Token waits are serialised so callers are served in order and none overtakes a sleeper.
  private token(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        await sleep(Math.ceil((1 - this.tokens) / this.perMs), signal);
        this.refill();
      }
      this.tokens -= 1;
      const today = new Date(this.now()).toISOString().slice(0, 10);
      if (today !== this.day) {
        this.day = today;
        this.dayCalls = 0;
      }
      if (this.options.callsPerDay !== null && this.dayCalls >= this.options.callsPerDay) {
        throw new IngestionError(
          'rate_limited',
          `the FMP plan's daily limit of ${this.options.callsPerDay} calls is used up; run again tomorrow (UTC) or raise fmp.callsPerDay in config/<env>.yaml after upgrading the plan`,
        );
      }
      this.dayCalls++;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }
}
