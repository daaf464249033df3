import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeFmp, type FakeFmp } from '../fake-fmp/server';
import { Metrics } from '../observability/metrics';
import { FmpClient } from './fmp-client';
import { RateLimiter } from './rate-limiter';

const KEY = 'client-test-key';
let fake: FakeFmp;
let metrics: Metrics;

beforeAll(async () => {
  fake = await startFakeFmp({ apiKey: KEY, symbols: 3, asOf: '2025-06-30' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.faults = {};
  metrics = new Metrics('test');
});

function client(
  overrides: { apiKey?: string; baseUrl?: string; timeoutMs?: number; maxPages?: number } = {},
) {
  return new FmpClient({
    baseUrl: overrides.baseUrl ?? fake.baseUrl,
    apiKey: overrides.apiKey ?? KEY,
    limiter: new RateLimiter({ callsPerMinute: 60_000, callsPerDay: null, maxConcurrent: 4 }),
    retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 1500 },
    timeoutMs: overrides.timeoutMs ?? 5000,
    ...(overrides.maxPages === undefined ? {} : { maxPages: overrides.maxPages }),
    metrics,
  });
}

const eod = () => ({ symbol: fake.market.symbols[0] ?? '', from: '2025-06-01', to: '2025-06-30' });

describe('FmpClient against the fake market', () => {
  it('returns the array FMP sends, and [] for an unknown symbol', async () => {
    const { rows } = await client().get('historical-price-eod/full', eod());
    expect(rows.length).toBe(20);
    expect((await client().get('profile', { symbol: 'NOPE' })).rows).toEqual([]);
  });

  it('retries a 429 "Limit Reach", waiting the Retry-After second', async () => {
    fake.faults = { rateLimited: 1 };
    const started = Date.now();
    const { rows } = await client().get('historical-price-eod/full', eod());
    expect(rows.length).toBe(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(metrics.get('RateLimited')).toBe(1);
    expect(metrics.get('Retries')).toBe(1);
  });

  it.each([
    ['a 5xx burst', { serverErrors: 3 }],
    ['truncated JSON', { truncated: 2 }],
    ['200 + Error Message "Limit Reach"', { errorMessage200: 2 }],
  ])('retries %s and then succeeds', async (_name, faults) => {
    fake.faults = faults;
    const { rows } = await client().get('historical-price-eod/full', eod());
    expect(rows.length).toBe(20);
  });

  it('retries a request that times out', async () => {
    fake.faults = { hang: 1 };
    const { rows } = await client({ timeoutMs: 300 }).get('historical-price-eod/full', eod());
    expect(rows.length).toBe(20);
    expect(metrics.get('Retries')).toBe(1);
  });

  it('gives up after maxAttempts with the cause in the message', async () => {
    fake.faults = { serverErrors: 10 };
    await expect(client().get('profile', { symbol: 'X' })).rejects.toMatchObject({
      code: 'server',
      message: expect.stringContaining('HTTP 503'),
    });
  });

  it('fails fast on a bad key (401), without the key in the message', async () => {
    const failure = client({ apiKey: 'wrong-key-123' }).get('profile', { symbol: 'X' });
    await expect(failure).rejects.toMatchObject({ code: 'auth', retryable: false });
    await expect(failure).rejects.toThrow(/FMP_API_KEY/);
    await failure.catch((error: Error) => expect(error.message).not.toContain('wrong-key-123'));
    expect(metrics.get('Retries')).toBe(0);
  });

  it('fails fast on a plan-restricted endpoint (402, plain text)', async () => {
    fake.faults = { restrictedEndpoints: ['batch-quote'] };
    await expect(client().get('batch-quote', { symbols: 'A' })).rejects.toMatchObject({
      code: 'plan',
      message: expect.stringContaining('Restricted Endpoint'),
    });
  });

  it('fails fast on a legacy endpoint (403)', async () => {
    const legacy = fake.baseUrl.replace('/stable', '/api/v3');
    await expect(client({ baseUrl: legacy }).get('profile/AAPL', {})).rejects.toMatchObject({
      code: 'plan',
      message: expect.stringContaining('Legacy Endpoint'),
    });
  });

  it('pages until an empty page', async () => {
    const symbol = fake.market.symbols[1] ?? '';
    const pages = [];
    for await (const page of client().pages('news/stock', {
      symbols: symbol,
      from: '2025-01-01',
      to: '2025-06-30',
      limit: '20',
    }))
      pages.push(page);
    const total = fake.market.news(symbol, '2025-01-01', '2025-06-30').length;
    expect(pages.flatMap((page) => page.rows)).toHaveLength(total);
    expect(pages.length).toBe(Math.ceil(total / 20));
  });

  it('fails, not retryable, a paged request whose pages do not end within maxPages', async () => {
    const symbol = fake.market.symbols[1] ?? '';
    const params = { symbols: symbol, from: '2025-01-01', to: '2025-06-30', limit: '20' };
    const total = fake.market.news(symbol, '2025-01-01', '2025-06-30').length;
    expect(total).toBeGreaterThan(40);
    const read: unknown[] = [];
    const paging = async () => {
      for await (const page of client({ maxPages: 2 }).pages('news/stock', params))
        read.push(...page.rows);
    };
    await expect(paging()).rejects.toMatchObject({
      name: 'FmpRequestError',
      code: 'bad_response',
      retryable: false,
      message: expect.stringMatching(/^more than 2 pages .*narrow --from\/--to.*GET news\/stock/),
    });
    expect(read).toHaveLength(40);
    // Pages that end within the limit, however close, are read whole.
    const fits = Math.ceil(total / 20) + 1;
    const all: unknown[] = [];
    for await (const page of client({ maxPages: fits }).pages('news/stock', params))
      all.push(...page.rows);
    expect(all).toHaveLength(total);
  });
});
