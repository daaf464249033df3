import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCloses, fetchDemoCloses, splitFactor } from './closes';
import { buildDemoData, demoSymbols, type DailyClose } from './demo-portfolios';

const DAYS = Array.from({ length: 80 }, (_, i) => {
  const day = new Date(Date.UTC(2025, 0, 1 + i));
  return day.toISOString().slice(0, 10);
});
const SPLIT_DATE = DAYS[40] ?? '';

/** Adjusted closes of four symbols; SPLT had a 4-for-1 split on SPLIT_DATE. */
function market(): Map<string, DailyClose[]> {
  return new Map(
    ['AAAA', 'BBBB', 'CCCC', 'SPLT'].map((symbol, s) => [
      symbol,
      DAYS.map((date, i) => ({
        date,
        close: Math.round((20 + s * 7 + Math.sin(i / 5) * 2) * 100) / 100,
        splitFactor: symbol === 'SPLT' && date < SPLIT_DATE ? 4 : 1,
      })),
    ]),
  );
}

describe('demo portfolios across a split', () => {
  const closes = market();
  const adjusted = (symbol: string, date: string) =>
    closes.get(symbol)?.find((row) => row.date === date)?.close ?? NaN;
  const { transactions } = buildDemoData(closes, 3);
  const trades = transactions.filter((tx) => tx.type === 'buy' || tx.type === 'sell');

  it('records trades in whole actual shares at the actual price', () => {
    const split = trades.filter((tx) => tx.symbol === 'SPLT');
    expect(split.some((tx) => tx.ts.toISOString().slice(0, 10) < SPLIT_DATE)).toBe(true);
    expect(split.some((tx) => tx.ts.toISOString().slice(0, 10) >= SPLIT_DATE)).toBe(true);
    for (const tx of trades) {
      const day = tx.ts.toISOString().slice(0, 10);
      const factor = tx.symbol === 'SPLT' && day < SPLIT_DATE ? 4 : 1;
      expect(Number.isInteger(tx.quantity)).toBe(true);
      expect(tx.price).toBeCloseTo(adjusted(tx.symbol ?? '', day) * factor, 9);
      expect(tx.amount).toBeCloseTo((tx.quantity ?? 0) * (tx.price ?? 0), 2);
    }
  });

  it("keeps cash non-negative, and sells only what is held in today's basis", () => {
    const byPortfolio = new Map<string, (typeof transactions)[number][]>();
    for (const tx of transactions) {
      const id = tx.portfolioId.toHexString();
      byPortfolio.set(id, [...(byPortfolio.get(id) ?? []), tx]);
    }
    for (const history of byPortfolio.values()) {
      let cash = 0;
      const held = new Map<string, number>();
      for (const tx of history) {
        const day = tx.ts.toISOString().slice(0, 10);
        const factor = tx.symbol === 'SPLT' && day < SPLIT_DATE ? 4 : 1;
        const shares = (tx.quantity ?? 0) * factor;
        if (tx.type === 'deposit') cash += tx.amount;
        if (tx.type === 'withdrawal' || tx.type === 'fee') cash -= tx.amount;
        if (tx.type === 'buy') cash -= tx.amount;
        if (tx.type === 'sell') cash += tx.amount;
        const symbol = tx.symbol ?? '';
        if (tx.type === 'buy') held.set(symbol, (held.get(symbol) ?? 0) + shares);
        if (tx.type === 'sell') held.set(symbol, (held.get(symbol) ?? 0) - shares);
        expect(cash).toBeGreaterThan(-1e-6);
        expect(held.get(symbol) ?? 0).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('demoSymbols', () => {
  // 40 symbols on one calendar, each with its own price path.
  const universe = Array.from({ length: 40 }, (_, s) => `S${String(s).padStart(2, '0')}`);
  const closes = new Map(
    universe.map((symbol, s) => [
      symbol,
      DAYS.map((date, i) => ({
        date,
        close: Math.round((15 + s + Math.cos(i / 3 + s) * 3) * 100) / 100,
      })),
    ]),
  );

  it('are the symbols the portfolios can trade: with their closes alone, the same portfolios', () => {
    const needed = demoSymbols([...universe].reverse(), 3, DAYS.length);
    // 3 portfolios + 4 first picks + ⌈80 / 21⌉ months, from the sorted universe.
    expect(needed).toEqual(universe.slice(0, 11));
    const subset = new Map(needed.map((symbol) => [symbol, closes.get(symbol) ?? []]));
    const full = buildDemoData(closes, 3);
    expect(buildDemoData(subset, 3)).toEqual(full);
    const traded = new Set(full.transactions.map((tx) => tx.symbol).filter((s) => s !== null));
    expect(traded.size).toBeGreaterThan(4);
  });

  it('are the whole universe when it is smaller than that', () => {
    expect(demoSymbols(['B', 'A', 'C'], 50, 2_520)).toEqual(['A', 'B', 'C']);
  });
});

describe('fetchCloses', () => {
  let inFlight = 0;
  let most = 0;
  let baseUrl = '';
  const requested: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const symbol = url.searchParams.get('symbol') ?? '';
    if (!url.pathname.endsWith('/splits')) requested.push(symbol);
    inFlight += 1;
    most = Math.max(most, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      const body = url.pathname.endsWith('/splits')
        ? symbol === 'S0'
          ? [
              // Announced, not yet in any close: it changes no factor.
              { symbol, date: '2999-01-04', numerator: 5, denominator: 1 },
              { symbol, date: '2025-01-03', numerator: 3, denominator: 2 },
            ]
          : []
        : [
            { symbol, date: '2025-01-03', close: 10 },
            { symbol, date: '2025-01-02', close: 9 },
          ];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    }, 20);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stable`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("prices symbols a bounded number at a time, with each day's split factor", async () => {
    const symbols = Array.from({ length: 20 }, (_, i) => `S${i}`);
    const closes = await fetchCloses(baseUrl, 'key', symbols, '2025-01-01', '2025-01-03');
    expect([...closes.keys()]).toEqual(symbols);
    expect(closes.get('S0')).toEqual([
      { date: '2025-01-03', close: 10, splitFactor: 1 },
      { date: '2025-01-02', close: 9, splitFactor: 1.5 },
    ]);
    expect(closes.get('S1')?.map((row) => row.splitFactor)).toEqual([1, 1]);
    // Two requests (closes, splits) per symbol, eight symbols at a time.
    expect(most).toBeGreaterThan(2);
    expect(most).toBeLessThanOrEqual(16);
  });

  it('fetchDemoCloses prices the first symbol, then only those the portfolios can reach', async () => {
    requested.length = 0;
    const symbols = Array.from({ length: 20 }, (_, i) => `S${i}`);
    const closes = await fetchDemoCloses(baseUrl, 'key', symbols, 1, '2025-01-01', '2025-01-03');
    // Two trading days: 1 portfolio + 4 first picks + 1 month, of the sorted universe.
    const expected = ['S0', 'S1', 'S10', 'S11', 'S12', 'S13'];
    expect([...closes.keys()]).toEqual(expected);
    expect(requested[0]).toBe('S0');
    expect([...requested].sort()).toEqual(expected);
  });

  it('multiplies the ratios of every later split', () => {
    const splits = [
      { date: '2025-03-01', ratio: 2 },
      { date: '2025-02-01', ratio: 4 },
    ];
    expect(splitFactor(splits, '2025-01-15')).toBe(8);
    expect(splitFactor(splits, '2025-02-01')).toBe(2);
    expect(splitFactor(splits, '2025-03-01')).toBe(1);
  });
});
