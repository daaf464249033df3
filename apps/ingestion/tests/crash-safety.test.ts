import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFmp, type FakeFmp } from '../src/fake-fmp/server';
import { allFileText, keysOf, records, runCli, tempLake } from './helpers';

const KEY = 'crash-test-key-5521';
let fake: FakeFmp;

beforeAll(async () => {
  fake = await startFakeFmp({
    apiKey: KEY,
    symbols: 5,
    asOf: '2025-06-30',
    historyStart: '2024-06-03',
  });
});
afterAll(() => fake.close());

// Crash points in run order: plan stored, a data part stored, manifest stored (bookmarks not yet).
const CRASHES = ['pending', 'part:2', 'manifest'];

describe('crash safety (SIGKILL, then rerun)', () => {
  it('fmp: after kills at several points the lake holds every record exactly once', async () => {
    const { root, lake } = await tempLake();
    const args = [
      'fmp',
      '--datasets',
      'eod_prices',
      '--symbols',
      fake.market.symbols.join(','),
      '--from',
      '2024-06-03',
      '--to',
      '2025-06-30',
      '--lake-root',
      root,
      '--part-size',
      '100',
      '--calls-per-minute',
      '60000',
      '--concurrency',
      '2',
    ];
    const env = { FMP_API_KEY: KEY, FMP_BASE_URL: fake.baseUrl };
    for (const point of CRASHES) {
      const killed = await runCli(args, { ...env, FINKS_CRASH_AT: point });
      expect(killed.signal, point).toBe('SIGKILL');
      expect(killed.stderr).not.toContain(KEY);
    }
    const finished = await runCli(args, env);
    expect(finished.code, finished.stderr).toBe(0);
    expect(`${finished.stderr}${finished.stdout}`).not.toContain(KEY);
    expect(await allFileText(root)).not.toContain(KEY);
    const expected = fake.market.symbols.reduce(
      (sum, symbol) => sum + fake.market.eod(symbol, '2024-06-03', '2025-06-30').length,
      0,
    );
    const rows = await records(lake, 'fmp', 'eod_prices');
    expect(rows).toHaveLength(expected);
    expect(new Set(keysOf(rows, ['symbol', 'date'])).size).toBe(expected);
    // And a further run adds nothing: the bookmarks cover it all.
    expect((await runCli(args, env)).code).toBe(0);
    expect(await records(lake, 'fmp', 'eod_prices')).toHaveLength(expected);
  });
});
