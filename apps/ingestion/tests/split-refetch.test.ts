// A split the connector learns of after it stored a symbol's history: the history is on the old
// share basis, so the next run must read it again in full (issue #4, stock splits).
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFmp, type FakeFmp } from '../src/fake-fmp/server';
import { FmpClient } from '../src/fmp/fmp-client';
import { RateLimiter } from '../src/fmp/rate-limiter';
import { runFmp } from '../src/fmp/run-fmp';
import type { Lake } from '../src/lake/lake-target';
import { records, tempLake } from './helpers';

const HISTORY_START = '2025-01-02';
const SPLIT_DATE = '2025-04-01';
const KEY = 'split-test-key';
const markets: FakeFmp[] = [];
afterEach(async () => {
  await Promise.all(markets.splice(0).map((market) => market.close()));
});

/** The same seeded market as it stood on `asOf`. */
async function marketOn(
  asOf: string,
  announcedSplit?: { date: string; ratio: number },
  splitRatio?: number,
  sharesRatio?: number,
): Promise<FakeFmp> {
  const market = await startFakeFmp({
    apiKey: KEY,
    symbols: 3,
    historyStart: HISTORY_START,
    asOf,
    splitDate: SPLIT_DATE,
    ...(announcedSplit === undefined ? {} : { announcedSplit }),
    ...(splitRatio === undefined ? {} : { splitRatio }),
    ...(sharesRatio === undefined ? {} : { sharesRatio }),
  });
  markets.push(market);
  return market;
}

async function ingest(lake: Lake, market: FakeFmp, to: string, from = HISTORY_START, full = false) {
  return runFmp({
    lake,
    client: new FmpClient({
      baseUrl: market.baseUrl,
      apiKey: KEY,
      limiter: new RateLimiter({ callsPerMinute: 60_000, callsPerDay: null, maxConcurrent: 4 }),
    }),
    // eod_prices first on purpose: the run still takes splits first.
    datasets: ['eod_prices', 'splits'],
    symbols: market.market.symbols,
    from,
    to,
    full,
  });
}

/** Each bar's close as the market serves it, from the first day of history to `to`. */
function servedCloses(market: FakeFmp, symbol: string, to: string): Map<string, number> {
  return new Map(
    market.market
      .eod(symbol, HISTORY_START, to)
      .map((row) => [row['date'] as string, row['close'] as number]),
  );
}

/**
 * After the split, a daily run asks for a shorter window (the CLI's default --from is five years
 * back); the split symbol's stored closes must still all be the market's, from the first day.
 */
async function expectRepairedByDailyRun(lake: Lake): Promise<void> {
  const after = await marketOn('2025-05-30');
  const symbol = after.market.split.symbol;
  await ingest(lake, after, '2025-05-30', '2025-03-01');
  expect(await storedCloses(lake, symbol)).toEqual(servedCloses(after, symbol, '2025-05-30'));
}

/** Each bar's close as the lake holds it now: the latest fetched version wins, as in silver. */
async function storedCloses(lake: Lake, symbol: string): Promise<Map<string, number>> {
  const latest = new Map<string, { fetchedAt: string; close: number }>();
  for (const row of await records(lake, 'fmp', 'eod_prices')) {
    const payload = row.payload as { symbol: string; date: string; close: number };
    if (payload.symbol !== symbol) continue;
    const seen = latest.get(payload.date);
    if (seen === undefined || row.fetched_at >= seen.fetchedAt)
      latest.set(payload.date, { fetchedAt: row.fetched_at, close: payload.close });
  }
  return new Map([...latest].map(([date, { close }]) => [date, close]));
}

describe('eod_prices after a split', () => {
  it('re-reads the history of a symbol whose split is newer than its stored basis, and only that symbol', async () => {
    const { lake } = await tempLake();
    const before = await marketOn('2025-03-14');
    const [symbol, other] = before.market.symbols as [string, string, string];
    expect(before.market.split.symbol).toBe(symbol);
    await ingest(lake, before, '2025-03-14');
    expect(await records(lake, 'fmp', 'splits')).toEqual([]);
    const barsBefore = (await records(lake, 'fmp', 'eod_prices')).length;

    // Weeks later, after the split: a daily run picks up the split and the new bars.
    const after = await marketOn('2025-05-30');
    const [splitsRun, eodRun] = await ingest(lake, after, '2025-05-30');
    expect(splitsRun).toMatchObject({ dataset: 'fmp.splits', valid: 1 });
    const newBars = after.market.eod(other, '2025-03-15', '2025-05-30').length;
    const history = after.market.eod(symbol, HISTORY_START, '2025-05-30').length;
    // The split symbol's whole history again; the others only their new bars.
    expect(eodRun?.valid).toBe(history + 2 * newBars);
    expect((await records(lake, 'fmp', 'eod_prices')).length).toBe(barsBefore + eodRun!.valid);

    const served = servedCloses(after, symbol, '2025-05-30');
    expect(await storedCloses(lake, symbol)).toEqual(served);

    // The basis moved: the next run reads only new bars again.
    const later = await marketOn('2025-06-06');
    const [, nextEod] = await ingest(lake, later, '2025-06-06');
    expect(nextEod?.valid).toBe(3 * later.market.eod(other, '2025-05-31', '2025-06-06').length);
  });

  it('re-reads it when FMP also lists a later split ahead of its ex-date', async () => {
    const { lake } = await tempLake();
    await ingest(lake, await marketOn('2025-03-14'), '2025-03-14');

    // After the split, with a 2-for-1 listed for a date after the run: the split that happened
    // must still make the history stale. A bookmark at the announced date hid it.
    const announced = { date: '2025-07-01', ratio: 2 };
    const after = await marketOn('2025-05-30', announced);
    const symbol = after.market.split.symbol;
    const [splitsRun, eodRun] = await ingest(lake, after, '2025-05-30');
    expect(splitsRun).toMatchObject({ dataset: 'fmp.splits', valid: 2 });
    const served = servedCloses(after, symbol, '2025-05-30');
    expect(await storedCloses(lake, symbol)).toEqual(served);
    expect(eodRun?.valid).toBeGreaterThan(served.size);

    // Every run stores the symbol's splits again (silver keeps one of each); until its ex-date
    // the announced one moves no bookmark, so no run reads the history again for it.
    const later = await marketOn('2025-06-06', announced);
    const [nextSplits, nextEod] = await ingest(lake, later, '2025-06-06');
    expect(nextSplits).toMatchObject({ valid: 2 });
    expect(nextEod?.valid).toBe(3 * later.market.eod(symbol, '2025-05-31', '2025-06-06').length);
  });

  it('re-reads from the first day stored even when a later run asks for a shorter window', async () => {
    const { lake } = await tempLake();
    await ingest(lake, await marketOn('2025-03-14'), '2025-03-14');
    await expectRepairedByDailyRun(lake);
  });

  it('re-reads from the first day stored after a --full re-read of a later window', async () => {
    const { lake } = await tempLake();
    await ingest(lake, await marketOn('2025-03-07'), '2025-03-07');
    // Someone re-reads the last weeks with --full; the older bars are still stored.
    await ingest(lake, await marketOn('2025-03-14'), '2025-03-14', '2025-03-01', true);
    await expectRepairedByDailyRun(lake);
  });

  it('re-reads it when FMP corrects the ratio of a split already stored', async () => {
    const { lake } = await tempLake();
    // The shares split 2-for-1, but FMP first lists 4-for-1 and adjusts the history by it.
    const first = await marketOn('2025-05-30', undefined, 4, 2);
    await ingest(lake, first, '2025-05-30');
    const symbol = first.market.split.symbol;
    const other = first.market.symbols[1] ?? '';

    // A week later FMP lists the split as 2-for-1, and the bars before it change with it.
    const corrected = await marketOn('2025-06-06', undefined, 2);
    const before = (market: FakeFmp) =>
      market.market.eod(symbol, HISTORY_START, HISTORY_START)[0]?.['close'] as number;
    expect(before(corrected)).toBeCloseTo(2 * before(first), 1);
    const [splitsRun, eodRun] = await ingest(lake, corrected, '2025-06-06');
    expect(splitsRun).toMatchObject({ valid: 1 });
    const ratios = (await records(lake, 'fmp', 'splits')).map(
      (row) => (row.payload as { numerator: number }).numerator,
    );
    // Stored as fetched, the corrected one too: silver keeps the latest fetch of the split.
    expect([...ratios].sort()).toEqual([2, 4]);
    // The split symbol's whole history again; the others only their new bars.
    const history = corrected.market.eod(symbol, HISTORY_START, '2025-06-06').length;
    const newBars = corrected.market.eod(other, '2025-05-31', '2025-06-06').length;
    expect(eodRun?.valid).toBe(history + 2 * newBars);
    expect(await storedCloses(lake, symbol)).toEqual(servedCloses(corrected, symbol, '2025-06-06'));

    // Read on the corrected splits: the next run is incremental again.
    const later = await marketOn('2025-06-13', undefined, 2);
    const [, nextEod] = await ingest(lake, later, '2025-06-13');
    expect(nextEod?.valid).toBe(3 * later.market.eod(other, '2025-06-07', '2025-06-13').length);
  });
});
