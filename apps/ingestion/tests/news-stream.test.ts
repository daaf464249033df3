import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFmp, type FakeFmp } from '../src/fake-fmp/server';
import { listManifests } from '../src/lake/bronze-reader';
import { keysOf, records, startCli, tempLake } from './helpers';

const KEY = 'news-stream-canary-31337';
let fake: FakeFmp;

beforeAll(async () => {
  fake = await startFakeFmp({ apiKey: KEY, symbols: 4, latestNewsIntervalMs: 50 });
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
    const sizes = (await listManifests(lake, { source: 'fmp', dataset: 'news' })).map(
      (manifest) => manifest.rowCount,
    );
    // Full batches of 40, then the partial one SIGTERM flushed.
    expect(sizes.filter((size) => size === 40).length).toBeGreaterThan(0);
    expect(sizes.some((size) => size > 0 && size < 40)).toBe(true);
    expect(result.stderr).not.toContain(KEY);
    expect(result.stderr).toContain('"signal":"SIGTERM"');
  });
});
