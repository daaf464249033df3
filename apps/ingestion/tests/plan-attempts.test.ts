import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFmp, type FakeFmp } from '../src/fake-fmp/server';
import { FmpClient } from '../src/fmp/fmp-client';
import { RateLimiter } from '../src/fmp/rate-limiter';
import { getJson } from '../src/lake/bronze-run';
import { listManifests } from '../src/lake/bronze-reader';
import { runFmp, type FailedRequest } from '../src/fmp/run-fmp';
import { createLogger } from '../src/observability/logger';
import { Metrics } from '../src/observability/metrics';
import { keysOf, records, runCli, tempLake } from './helpers';

const KEY = 'plan-attempts-key-8812';
const FROM = '2025-03-03';
const TO = '2025-06-30';
let fake: FakeFmp;

beforeAll(async () => {
  fake = await startFakeFmp({ apiKey: KEY, symbols: 3, asOf: TO, historyStart: FROM });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.faults = {};
});

describe('a plan that keeps failing', () => {
  it('is retried a bounded number of times, then records its failing requests and commits the rest', async () => {
    const { root, lake } = await tempLake();
    const [first, restricted, third] = fake.market.symbols as [string, string, string];
    fake.faults.restrictedSymbols = [restricted];
    const args = [
      'fmp',
      '--datasets',
      'eod_prices',
      '--symbols',
      fake.market.symbols.join(','),
      '--from',
      FROM,
      '--to',
      TO,
      '--lake-root',
      root,
      '--calls-per-minute',
      '60000',
      '--max-plan-attempts',
      '2',
    ];
    const env = { FMP_API_KEY: KEY, FMP_BASE_URL: fake.baseUrl };
    const eodRows = (symbol: string) => fake.market.eod(symbol, FROM, TO).length;

    // Attempt 1 of 2: the 402 fails the run, and the output says what the next run does.
    const failing = await runCli(args, env);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('"code":"plan"');
    expect(failing.stderr).toContain('the next run repeats the plan as its last attempt');
    expect(await records(lake, 'fmp', 'eod_prices')).toHaveLength(0);

    // Attempt 2 of 2: the failing request is recorded, the other symbols are committed.
    const last = await runCli(args, env);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stderr).toContain('requests recorded as failed');
    expect(last.stderr).toContain('still failed on attempt 2 of 2');
    expect(last.stderr).toContain('run the same command again');
    const rows = await records(lake, 'fmp', 'eod_prices');
    expect(rows).toHaveLength(eodRows(first) + eodRows(third));
    expect(rows.some((row) => (row.payload as { symbol: string }).symbol === restricted)).toBe(
      false,
    );
    const [manifest] = await listManifests(lake, { source: 'fmp', dataset: 'eod_prices' });
    expect(manifest?.failedRequests?.count).toBe(1);
    const record = await getJson<{ attempt: number; failed: FailedRequest[] }>(
      lake,
      lake.buckets.quarantine,
      manifest?.failedRequests?.key ?? '',
    );
    expect(record?.attempt).toBe(2);
    expect(record?.failed).toEqual([
      expect.objectContaining({
        entity: restricted,
        code: 'plan',
        reason: expect.stringContaining('402'),
      }),
    ]);
    const bookmarks = await getJson<{ cursors: Record<string, string> }>(
      lake,
      lake.buckets.artifacts,
      'bookmarks/source=fmp/dataset=eod_prices/cursors.json',
    );
    // The failed symbol has neither a cursor nor a share basis (see eod-prices.ts).
    expect(Object.keys(bookmarks?.cursors ?? {}).sort()).toEqual(
      [first, `${first}:basis`, `${first}:since`, third, `${third}:basis`, `${third}:since`].sort(),
    );
    expect(
      await lake.store.list(
        lake.buckets.artifacts,
        'bookmarks/source=fmp/dataset=eod_prices/pending',
      ),
    ).toEqual([]);

    // Once the cause is fixed, the same command fetches only what is missing.
    fake.faults.restrictedSymbols = [];
    const retried = await runCli(args, env);
    expect(retried.code, retried.stderr).toBe(0);
    const all = await records(lake, 'fmp', 'eod_prices');
    const expected = eodRows(first) + eodRows(restricted) + eodRows(third);
    expect(all).toHaveLength(expected);
    expect(new Set(keysOf(all, ['symbol', 'date'])).size).toBe(expected);
  });
});

describe('a dataset over the error budget', () => {
  it('fails each attempt of its plan but the last, which commits it anyway and says so', async () => {
    const { lake } = await tempLake();
    const symbol = fake.market.symbols[0] ?? '';
    fake.faults.badRecordSymbols = [symbol];
    const lines: string[] = [];
    const logger = createLogger({ correlationId: 'budget', write: (line) => lines.push(line) });
    const metrics = new Metrics('fmp');
    const client = new FmpClient({
      baseUrl: fake.baseUrl,
      apiKey: KEY,
      limiter: new RateLimiter({ callsPerMinute: 60_000, callsPerDay: null, maxConcurrent: 4 }),
      logger,
    });
    const from = '2025-06-01';
    const run = () =>
      runFmp({
        lake,
        client,
        datasets: ['eod_prices'],
        symbols: [symbol],
        from,
        to: TO,
        errorBudget: 0.01,
        maxPlanAttempts: 3,
        logger,
        metrics,
      });

    await expect(run()).rejects.toMatchObject({
      code: 'error_budget',
      message: expect.stringContaining(
        'The next run repeats this plan (attempt 2 of 3); attempt 3 of 3 commits it anyway',
      ),
    });
    await expect(run()).rejects.toMatchObject({
      code: 'error_budget',
      message: expect.stringMatching(
        /repeats this plan as attempt 3 of 3, the last, which commits it anyway.*--error-budget above 1\.00 %/,
      ),
    });
    expect(await records(lake, 'fmp', 'eod_prices')).toEqual([]);
    expect(metrics.get('ErrorBudgetExceeded', 'eod_prices')).toBe(0);

    // The last attempt commits: valid rows to bronze, the four broken ones stay in quarantine.
    const served = fake.market.eod(symbol, from, TO).length;
    const [summary] = await run();
    expect(summary).toMatchObject({ read: served, quarantined: 4, valid: served - 4 });
    const stored = await records(lake, 'fmp', 'eod_prices');
    expect(stored).toHaveLength(served - 4);
    expect(await records(lake, 'fmp', 'eod_prices', 'quarantine')).toHaveLength(4);
    expect(metrics.get('ErrorBudgetExceeded', 'eod_prices')).toBe(1);
    const errors = lines
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .filter((line) => line.level === 'error');
    expect(errors.at(-1)?.message).toMatch(
      /committed over the error budget on the plan's last attempt \(3 of 3\): 4 of \d+ records invalid/,
    );
    // The plan is done: the bookmark moved and the next run plans anew.
    const bookmarks = await getJson<{ cursors: Record<string, string> }>(
      lake,
      lake.buckets.artifacts,
      'bookmarks/source=fmp/dataset=eod_prices/cursors.json',
    );
    const newest = stored
      .map((row) => (row.payload as { date: string }).date)
      .sort()
      .at(-1);
    expect(bookmarks?.cursors[symbol]).toBe(newest);
    expect(
      await lake.store.list(
        lake.buckets.artifacts,
        'bookmarks/source=fmp/dataset=eod_prices/pending',
      ),
    ).toEqual([]);
  });
});
