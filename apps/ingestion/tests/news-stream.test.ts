import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFmp, type FakeFmp } from '../src/fake-fmp/server';
import { listManifests } from '../src/lake/bronze-reader';
import { StreamStore } from '../src/news-stream/stream-state';
import { keysOf, records, runCli, startCli, tempLake } from './helpers';

const KEY = 'news-stream-canary-31337';
let fake: FakeFmp;
let env: Record<string, string>;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const streamFlags = (root: string, extra: readonly string[] = []) => [
  'news-stream',
  '--lake-root',
  root,
  '--interval-seconds',
  '0.2',
  '--calls-per-minute',
  '60000',
  ...extra,
];

beforeAll(async () => {
  fake = await startFakeFmp({ apiKey: KEY, symbols: 4, latestNewsIntervalMs: 50 });
  env = { FMP_API_KEY: KEY, FMP_BASE_URL: fake.baseUrl };
});
afterAll(() => fake.close());

describe('news-stream', () => {
  it('writes N-record micro-batches and loses nothing on SIGTERM mid-batch', async () => {
    const { root, lake } = await tempLake();
    const run = startCli(
      [
        'news-stream',
        '--lake-root',
        root,
        '--interval-seconds',
        '0.2',
        '--batch-records',
        '40',
        '--batch-seconds',
        '30',
        '--page-size',
        '50',
        '--part-size',
        '15',
        '--calls-per-minute',
        '60000',
      ],
      { FMP_API_KEY: KEY, FMP_BASE_URL: fake.baseUrl },
    );
    await run.waitFor('micro-batch committed');
    // New articles arrive every 50 ms: let a partial batch (< 40 records, < 30 s) build up.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const stopAt = Date.now();
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);

    const rows = await records(lake, 'fmp', 'news');
    expect(rows.length).toBe(fake.stats.rows['news/stock-latest']);
    expect(new Set(keysOf(rows, ['url', 'publishedDate'])).size).toBe(rows.length);
    const manifests = await listManifests(lake, { source: 'fmp', dataset: 'news' });
    const sizes = manifests.map((manifest) => manifest.rowCount);
    // Full batches of 40, then the partial one SIGTERM flushed.
    expect(sizes.filter((size) => size === 40).length).toBeGreaterThan(0);
    // --part-size: a full batch is three objects of at most 15 records.
    const full = manifests.find((manifest) => manifest.rowCount === 40);
    expect(full?.parts.map((part) => part.rows)).toEqual([15, 15, 10]);
    expect(sizes.some((size) => size > 0 && size < 40)).toBe(true);
    expect(result.stderr).not.toContain(KEY);
    expect(result.stderr).toContain('"signal":"SIGTERM"');
  });

  it('after SIGKILL mid-batch (and mid-commit) a restart stores every accepted article once', async () => {
    const { root, lake } = await tempLake();
    const flags = ['--batch-records', '40', '--batch-seconds', '30', '--page-size', '50'];
    // 1. Killed right after its first manifest, before the cursor moved.
    const crashed = await runCli(streamFlags(root, flags), { ...env, FINKS_CRASH_AT: 'manifest' });
    expect(crashed.signal).toBe('SIGKILL');

    // 2. Finishes that batch, commits more, then is killed holding a partial batch.
    const run = startCli(streamFlags(root, flags), env);
    await run.waitFor('micro-batch committed');
    const afterCommit = run.waitFor('"wal_segment"');
    await afterCommit;
    await pause(600);
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    const store = new StreamStore(lake);
    const spooled = (await store.segments()).flatMap((segment) => segment.articles);
    expect(spooled.length).toBeGreaterThan(0);
    const committedBefore = await records(lake, 'fmp', 'news');

    // 3. Long enough later that those articles are beyond what one poll reads again
    //    (5 pages of 5 = 1.25 s of the feed), so only the write-ahead log can bring them back.
    await pause(2000);
    const restarted = await runCli(
      streamFlags(root, [...flags, '--page-size', '5', '--max-runtime-seconds', '1']),
      env,
    );
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stderr).toContain('replaying articles a stopped process had accepted');

    const rows = await records(lake, 'fmp', 'news');
    const keys = keysOf(rows, ['url', 'publishedDate']);
    expect(new Set(keys).size).toBe(rows.length);
    const stored = new Set(keys);
    const mustHave = [
      ...keysOf(committedBefore, ['url', 'publishedDate']),
      ...spooled.map((article) => {
        const payload = article.raw as Record<string, unknown>;
        return `${JSON.stringify(payload['url'])}|${JSON.stringify(payload['publishedDate'])}`;
      }),
    ];
    expect(mustHave.filter((key) => !stored.has(key))).toEqual([]);
    expect(await store.segments()).toEqual([]);
  });

  it('after a restart ingests an unseen article of the same second as the last committed one', async () => {
    const { root, lake } = await tempLake();
    // Its own market, so its served-row count starts at zero.
    const market = await startFakeFmp({ apiKey: KEY, symbols: 4, latestNewsIntervalMs: 50 });
    const marketEnv = { FMP_API_KEY: KEY, FMP_BASE_URL: market.baseUrl };
    // 20 articles a second: a stop almost always falls inside a second whose later articles the
    // first process never saw; the second one must pick them up.
    const flags = ['--batch-records', '1000', '--batch-seconds', '30', '--page-size', '100'];
    for (let round = 0; round < 2; round++) {
      const result = await runCli(
        streamFlags(root, [...flags, '--max-runtime-seconds', '1']),
        marketEnv,
      );
      expect(result.code, result.stderr).toBe(0);
    }
    const rows = await records(lake, 'fmp', 'news');
    expect(new Set(keysOf(rows, ['url', 'publishedDate'])).size).toBe(rows.length);
    // Every distinct article the market served is stored: none skipped.
    expect(rows.length).toBe(market.stats.rows['news/stock-latest']);
    await market.close();
  });

  it('a micro-batch over the error budget stops the stream, loses nothing, and is committed on its last attempt', async () => {
    const { root, lake } = await tempLake();
    const market = await startFakeFmp({ apiKey: KEY, symbols: 4, latestNewsIntervalMs: 50 });
    const marketEnv = { FMP_API_KEY: KEY, FMP_BASE_URL: market.baseUrl };
    const flags = ['--batch-records', '10', '--batch-seconds', '30', '--page-size', '10'];
    const store = new StreamStore(lake);

    // 1. Every article untitled: the first batch is all invalid, the stream stops with exit 1.
    market.faults.untitledLatestNews = true;
    const first = await runCli(streamFlags(root, flags), marketEnv);
    market.faults.untitledLatestNews = false;
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain('micro-batch over the error budget: the stream stops');
    expect(first.stderr).toContain('"code":"error_budget"');
    // The failed run counts for the infrastructure's "ingestion batches failed" alarm.
    const emf = first.stdout
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf.reduce((n, doc) => n + Number(doc['BatchesFailed'] ?? 0), 0)).toBe(1);
    const pending = await store.pending();
    expect(pending?.attempts).toBe(1);
    expect(await listManifests(lake, { source: 'fmp', dataset: 'news' })).toEqual([]);
    // The batch's articles wait in the write-ahead log.
    const spooled = (await store.segments()).flatMap((segment) => segment.articles);
    expect(spooled).toHaveLength(10);

    // 2. The next start commits the same batch again (the same run id) and stops again.
    const second = await runCli(streamFlags(root, flags), marketEnv);
    expect(second.code, second.stderr).toBe(1);
    expect((await store.pending())?.runId).toBe(pending?.runId);
    expect((await store.pending())?.attempts).toBe(2);

    // 3. The last attempt commits it over the budget, then the stream carries on.
    const third = await runCli(
      streamFlags(root, [...flags, '--max-runtime-seconds', '1.5']),
      marketEnv,
    );
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain(
      'micro-batch committed over the error budget on its last attempt',
    );
    expect(await store.pending()).toBeUndefined();
    const quarantined = await records(lake, 'fmp', 'news', 'quarantine');
    // Each invalid article once, however many attempts wrote the batch.
    expect(keysOf(quarantined, ['url'])).toEqual(
      spooled.map((article) => JSON.stringify((article.raw as Record<string, unknown>)['url'])),
    );
    const manifests = await listManifests(lake, { source: 'fmp', dataset: 'news' });
    expect(manifests.find((m) => m.runId === pending?.runId)?.rowCount).toBe(0);
    const rows = await records(lake, 'fmp', 'news');
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(keysOf(rows, ['url', 'publishedDate'])).size).toBe(rows.length);
    await market.close();
  });
});
