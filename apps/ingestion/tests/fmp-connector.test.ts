import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { motoEndpoint } from '@finks/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFmp, type FakeFmp } from '../src/fake-fmp/server';
import { FmpClient } from '../src/fmp/fmp-client';
import { RateLimiter } from '../src/fmp/rate-limiter';
import { runFmp } from '../src/fmp/run-fmp';
import { FMP_DATASETS } from '../src/fmp/streams';
import { openLake, type Lake } from '../src/lake/lake-target';
import type { S3LakeStore } from '../src/lake/s3-lake-store';
import { createLogger } from '../src/observability/logger';
import { Metrics } from '../src/observability/metrics';
import { allFileText, keysOf, records, tempLake } from './helpers';

const barsPerSymbol = () =>
  fake.market.eod(fake.market.symbols[1] ?? '', '2025-01-01', AS_OF).length;
const CANARY = 'canary-fmp-key-9f1c2e7d';
const AS_OF = '2025-06-30';
let fake: FakeFmp;

beforeAll(async () => {
  fake = await startFakeFmp({
    apiKey: CANARY,
    symbols: 6,
    asOf: AS_OF,
    historyStart: '2024-01-02',
  });
});
afterAll(() => fake.close());

function client(logLines: string[] = []) {
  const logger = createLogger({ correlationId: 'test-run', write: (line) => logLines.push(line) });
  return {
    logger,
    client: new FmpClient({
      baseUrl: fake.baseUrl,
      apiKey: CANARY,
      limiter: new RateLimiter({ callsPerMinute: 60_000, callsPerDay: null, maxConcurrent: 4 }),
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 200 },
      logger,
    }),
  };
}

const datasetKeys: Record<string, string[]> = {
  quotes: ['symbol', 'timestamp'],
  eod_prices: ['symbol', 'date'],
  company_profiles: ['symbol'],
  income_statements: ['symbol', 'date', 'period'],
  balance_sheets: ['symbol', 'date', 'period'],
  cash_flow_statements: ['symbol', 'date', 'period'],
  news: ['symbol', 'url'],
  splits: ['symbol', 'date'],
};
const endpointOf: Record<string, string> = {
  quotes: 'batch-quote',
  eod_prices: 'historical-price-eod/full',
  company_profiles: 'profile',
  income_statements: 'income-statement',
  balance_sheets: 'balance-sheet-statement',
  cash_flow_statements: 'cash-flow-statement',
  news: 'news/stock',
  splits: 'splits',
};

async function ingestEverything(lake: Lake, logLines: string[]) {
  const { client: fmp, logger } = client(logLines);
  return runFmp({
    lake,
    client: fmp,
    datasets: FMP_DATASETS,
    symbols: [...fake.market.symbols, 'UNKNOWN'],
    from: '2025-01-01',
    to: AS_OF,
    statementLimit: 6,
    logger,
    metrics: new Metrics('fmp'),
  });
}

/** An incremental `news` run of one symbol over June 2025. */
const newsRun = (lake: Lake, symbol: string, extra: { maxPlanAttempts?: number } = {}) =>
  runFmp({
    lake,
    client: client().client,
    datasets: ['news'],
    symbols: [symbol],
    from: '2025-06-01',
    to: AS_OF,
    ...extra,
  });

describe('fmp connector', () => {
  it('lands every dataset in the local lake, each served record exactly once, and nothing more on a rerun', async () => {
    const { root, lake } = await tempLake();
    const before = structuredClone(fake.stats.rows);
    const logLines: string[] = [];
    await ingestEverything(lake, logLines);
    for (const dataset of FMP_DATASETS) {
      const rows = await records(lake, 'fmp', dataset);
      const endpoint = endpointOf[dataset] ?? '';
      // Rows the fake served in this run (it counts each distinct row once).
      expect(rows.length, dataset).toBe((fake.stats.rows[endpoint] ?? 0) - (before[endpoint] ?? 0));
      expect(new Set(keysOf(rows, datasetKeys[dataset] ?? [])).size, dataset).toBe(rows.length);
    }
    expect(await records(lake, 'fmp', 'eod_prices')).toHaveLength(6 * barsPerSymbol());
    const statementsBefore = (await records(lake, 'fmp', 'income_statements')).length;
    const newsBefore = (await records(lake, 'fmp', 'news')).length;

    // Incremental: bookmarks hold, so history, statements and news add nothing new.
    await ingestEverything(lake, logLines);
    expect(await records(lake, 'fmp', 'eod_prices')).toHaveLength(6 * barsPerSymbol());
    expect(await records(lake, 'fmp', 'news')).toHaveLength(newsBefore);
    expect(await records(lake, 'fmp', 'income_statements')).toHaveLength(statementsBefore);
    // Snapshots (profiles, quotes) are read again on purpose.
    expect(await records(lake, 'fmp', 'company_profiles')).toHaveLength(12);

    // The key never reaches a log line or a stored object, though every request carried it.
    expect(logLines.join('\n')).not.toContain(CANARY);
    expect(
      logLines.every(
        (line) => (JSON.parse(line) as { correlation_id: string }).correlation_id === 'test-run',
      ),
    ).toBe(true);
    expect(await allFileText(root)).not.toContain(CANARY);
  });

  it('quarantines exactly the contract-breaking rows the market injected, and survives faults', async () => {
    const { lake } = await tempLake();
    const symbol = fake.market.symbols[2] ?? '';
    const badBefore = fake.stats.badRows;
    fake.faults = {
      badRecordSymbols: [symbol],
      serverErrors: 2,
      truncated: 1,
      errorMessage200: 1,
      rateLimited: 1,
    };
    const { client: fmp } = client();
    const [summary] = await runFmp({
      lake,
      client: fmp,
      datasets: ['eod_prices'],
      symbols: fake.market.symbols,
      from: '2025-01-01',
      to: AS_OF,
    });
    fake.faults = {};
    const injected = fake.stats.badRows - badBefore;
    expect(injected).toBe(4);
    expect(summary?.quarantined).toBe(injected);
    const quarantined = await records(lake, 'fmp', 'eod_prices', 'quarantine');
    expect(quarantined).toHaveLength(4);
    expect(await records(lake, 'fmp', 'eod_prices')).toHaveLength(6 * barsPerSymbol() - 4);
  });

  it('fails a run over the error budget and does not move the bookmark', async () => {
    const { lake } = await tempLake();
    fake.faults = { badRecordSymbols: [fake.market.symbols[0] ?? ''] };
    const { client: fmp } = client();
    await expect(
      runFmp({
        lake,
        client: fmp,
        datasets: ['eod_prices'],
        symbols: [fake.market.symbols[0] ?? ''],
        from: '2025-06-01',
        to: AS_OF,
        errorBudget: 0.01,
      }),
    ).rejects.toMatchObject({
      code: 'error_budget',
      message: expect.stringMatching(/4 of 20 records failed validation.*quarantine/),
    });
    fake.faults = {};
    expect(await records(lake, 'fmp', 'eod_prices')).toEqual([]);
  });

  it('fails a paged request whose pages go on past the limit: its bookmark stays before them', async () => {
    const { lake } = await tempLake();
    const symbol = fake.market.symbols[3] ?? '';
    const from = '2024-01-02';
    // More articles than one page of 100 holds: the older ones are on the second page.
    expect(fake.market.news(symbol, from, AS_OF).length).toBeGreaterThan(100);
    const onePage = new FmpClient({
      baseUrl: fake.baseUrl,
      apiKey: CANARY,
      limiter: new RateLimiter({ callsPerMinute: 60_000, callsPerDay: null, maxConcurrent: 4 }),
      maxPages: 1,
    });
    const run = () =>
      runFmp({
        lake,
        client: onePage,
        datasets: ['news'],
        symbols: [symbol],
        from,
        to: AS_OF,
        maxPlanAttempts: 2,
      });
    await expect(run()).rejects.toMatchObject({
      code: 'bad_response',
      message: expect.stringContaining('more than 1 pages'),
    });
    // The last attempt records the request as failed; nothing of it is kept, no bookmark moves.
    const [summary] = await run();
    expect(summary).toMatchObject({ read: 0, failedRequests: 1 });
    expect(await records(lake, 'fmp', 'news')).toEqual([]);
    const bookmarks = await lake.store.get(
      lake.buckets.artifacts,
      'bookmarks/source=fmp/dataset=news/cursors.json',
    );
    const cursors = (JSON.parse(new TextDecoder().decode(bookmarks)) as { cursors: object })
      .cursors;
    expect(cursors).toEqual({});
  });

  it("news: an article FMP lists late, of the bookmark's own second, is stored by the next run, once", async () => {
    const { lake } = await tempLake();
    const run = () => newsRun(lake, fake.market.symbols[2] ?? '');
    await run();
    const first = await records(lake, 'fmp', 'news');
    const newest = first
      .map((row) => String((row.payload as Record<string, unknown>)['publishedDate']))
      .sort()
      .at(-1);
    fake.faults.lateNewsTwins = 'valid';
    try {
      await run();
      const second = await records(lake, 'fmp', 'news');
      // Only the twin of the newest article is new: the older ones' twins are before the cursor.
      const before = new Set(keysOf(first, ['url']));
      const secondKeys = keysOf(second, ['url']);
      const added = second
        .filter((_, index) => !before.has(secondKeys[index] ?? ''))
        .map((row) => row.payload as Record<string, unknown>);
      expect(second).toHaveLength(first.length + added.length);
      expect(
        added.map((row) => [row['publishedDate'], String(row['url']).endsWith('-late')]),
      ).toEqual([[newest, true]]);
      // Both articles of that second are now stored: a third run adds nothing.
      await run();
      expect(await records(lake, 'fmp', 'news')).toHaveLength(second.length);
    } finally {
      delete fake.faults.lateNewsTwins;
    }
  });

  it('news: a late article of the bookmark second that breaks the contract is quarantined once', async () => {
    const { lake } = await tempLake();
    // One bad article in a run of one: over any error budget, committed on the last attempt.
    const run = () => newsRun(lake, fake.market.symbols[4] ?? '', { maxPlanAttempts: 1 });
    await run();
    const stored = (await records(lake, 'fmp', 'news')).length;
    fake.faults.lateNewsTwins = 'untitled';
    try {
      const [second] = await run();
      expect(second).toMatchObject({ read: 1, quarantined: 1 });
      // The next run skips it: its URL is in the boundary with the stored article's.
      const [third] = await run();
      expect(third).toMatchObject({ read: 0, quarantined: 0 });
      expect(await records(lake, 'fmp', 'news', 'quarantine')).toHaveLength(1);
      expect(await records(lake, 'fmp', 'news')).toHaveLength(stored);
    } finally {
      delete fake.faults.lateNewsTwins;
    }
  });

  it('writes the same batches into moto S3', async () => {
    const accountId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
    const lake = openLake({
      kind: 's3',
      env: 'local',
      accountId,
      region: 'us-east-1',
      endpoint: motoEndpoint(),
      multipartThresholdBytes: 5 * 1024 * 1024,
    });
    const s3 = (lake.store as S3LakeStore).client;
    for (const bucket of Object.values(lake.buckets))
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { client: fmp } = client();
    const requestsBefore = fake.stats.requests;
    await runFmp({
      lake,
      client: fmp,
      datasets: ['eod_prices', 'company_profiles'],
      symbols: fake.market.symbols,
      from: '2024-01-02',
      to: AS_OF,
      full: true,
    });
    const rows = await records(lake, 'fmp', 'eod_prices');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBe(
      6 * fake.market.eod(fake.market.symbols[1] ?? '', '2024-01-02', AS_OF).length,
    );
    // The market was asked: one EOD request and one profile request per symbol, no more.
    expect(fake.stats.requests - requestsBefore).toBe(2 * fake.market.symbols.length);
    expect(await records(lake, 'fmp', 'company_profiles')).toHaveLength(6);
    const bookmarks = await lake.store.list(
      lake.buckets.artifacts,
      'bookmarks/source=fmp/dataset=eod_prices/',
    );
    expect(bookmarks).toEqual(['bookmarks/source=fmp/dataset=eod_prices/cursors.json']);
  });

  it('uploads a large object to moto as a multipart upload', async () => {
    const accountId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
    const lake = openLake({
      kind: 's3',
      env: 'local',
      accountId,
      region: 'us-east-1',
      endpoint: motoEndpoint(),
      multipartThresholdBytes: 5 * 1024 * 1024,
    });
    const s3 = (lake.store as S3LakeStore).client;
    await s3.send(new CreateBucketCommand({ Bucket: lake.buckets.bronze }));
    const body = new Uint8Array(11 * 1024 * 1024).map((_, index) => index % 251);
    await lake.store.put(
      lake.buckets.bronze,
      'source=fmp/dataset=big/part.bin',
      body,
      'application/octet-stream',
    );
    const back = await lake.store.get(lake.buckets.bronze, 'source=fmp/dataset=big/part.bin');
    expect(back?.byteLength).toBe(body.byteLength);
    expect(Buffer.from(back ?? []).equals(Buffer.from(body))).toBe(true);
  });
});
