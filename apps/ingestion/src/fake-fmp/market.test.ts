import { describe, expect, it } from 'vitest';
import {
  validateRecord,
  fmpEodPrices,
  fmpCompanyProfiles,
  fmpIncomeStatements,
  fmpNews,
  fmpQuotes,
  fmpSplits,
} from '@finks/contracts';
import { FakeMarket } from './market';
import { isTradingDay, tradingDays } from './trading-calendar';

describe('FakeMarket', () => {
  const market = new FakeMarket({ seed: 7, symbols: 4, asOf: '2025-06-30' });

  it('is deterministic for a seed', () => {
    const again = new FakeMarket({ seed: 7, symbols: 4, asOf: '2025-06-30' });
    expect(again.symbols).toEqual(market.symbols);
    const symbol = market.symbols[1] ?? '';
    expect(again.eod(symbol, '2024-01-01', '2025-06-30')).toEqual(
      market.eod(symbol, '2024-01-01', '2025-06-30'),
    );
  });

  it('serves the same rows from a kept walk, a fresh one and one walked again after eviction', () => {
    const options = { seed: 7, symbols: 100, asOf: '2025-06-30' };
    const busy = new FakeMarket(options);
    const [first = ''] = busy.symbols;
    const quoted = busy.quote(first);
    const kept = busy.eod(first, '2024-01-01', '2025-06-30');
    // Every other symbol read once: more than the walks kept, so the first one's is dropped.
    for (const symbol of busy.symbols.slice(1)) busy.eod(symbol, '2025-06-01', '2025-06-30');
    const walkedAgain = busy.eod(first, '2024-01-01', '2025-06-30');
    const fresh = new FakeMarket(options);
    expect(kept).toEqual(fresh.eod(first, '2024-01-01', '2025-06-30'));
    expect(walkedAgain).toEqual(kept);
    expect(quoted).toEqual(new FakeMarket(options).quote(first));
    // A shorter window is a prefix of the same walk.
    expect(busy.eod(first, '2024-01-01', '2024-12-31')).toEqual(
      kept.filter((row) => String(row['date']) <= '2024-12-31'),
    );
  });

  it('serves bars only on exchange trading days, newest first', () => {
    const rows = market.eod(market.symbols[2] ?? '', '2024-12-20', '2025-01-10');
    const dates = rows.map((row) => row['date'] as string);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates).not.toContain('2024-12-25');
    expect(dates).not.toContain('2025-01-01');
    expect(dates).not.toContain('2024-12-28');
    expect(isTradingDay('2025-04-18')).toBe(false); // Good Friday
    expect(tradingDays('2025-01-01', '2025-01-31')).toHaveLength(21);
  });

  it('serves rows that satisfy the contracts', () => {
    const symbol = market.symbols[0] ?? '';
    for (const row of market.eod(symbol, '2018-01-01', '2025-06-30'))
      expect(validateRecord(fmpEodPrices, row).ok).toBe(true);
    expect(validateRecord(fmpCompanyProfiles, market.profile(symbol)).ok).toBe(true);
    expect(validateRecord(fmpQuotes, market.quote(symbol)).ok).toBe(true);
    for (const row of market.statements('income', symbol, 'quarter', 8))
      expect(validateRecord(fmpIncomeStatements, row)).toMatchObject({ ok: true });
    for (const row of market.news(symbol, '2025-06-01', '2025-06-30'))
      expect(validateRecord(fmpNews, row).ok).toBe(true);
  });

  it('has exactly one split, on a listed symbol, served by splits as FMP shapes it', () => {
    expect(market.split.ratio).toBe(4);
    expect(market.symbols).toContain(market.split.symbol);
    const rows = market.splits(market.split.symbol);
    expect(rows).toEqual([
      { symbol: market.split.symbol, date: market.split.date, numerator: 4, denominator: 1 },
    ]);
    expect(validateRecord(fmpSplits, rows[0]).ok).toBe(true);
    for (const symbol of market.symbols.slice(1)) expect(market.splits(symbol)).toEqual([]);
  });

  describe('across the split', () => {
    const { symbol, date } = market.split;
    const closes = (rows: Record<string, unknown>[]) =>
      new Map(rows.map((row) => [row['date'] as string, row['close'] as number]));
    const adjusted = closes(market.eod(symbol, '2018-01-01', '2025-06-30'));
    const raw = closes(market.rawEod(symbol, '2018-01-01', '2025-06-30'));
    const days = [...adjusted.keys()].sort();
    const before = days[days.indexOf(date) - 1] ?? '';

    it('serves a continuous adjusted series: no day moves by anything like the ratio', () => {
      let largest = 0;
      for (let i = 1; i < days.length; i++) {
        const move = Math.abs(
          Math.log((adjusted.get(days[i] ?? '') ?? 0) / (adjusted.get(days[i - 1] ?? '') ?? 0)),
        );
        largest = Math.max(largest, move);
      }
      // Daily volatility is 1.8 %: a 4-for-1 jump would be ln 4 = 1.39.
      expect(largest).toBeLessThan(0.2);
    });

    it('serves raw prices that drop by the ratio on the split date and equal adjusted × ratio before it', () => {
      const rawDrop = (raw.get(date) ?? 0) / (raw.get(before) ?? 1);
      expect(rawDrop).toBeGreaterThan(0.25 * 0.8);
      expect(rawDrop).toBeLessThan(0.25 * 1.2);
      for (const day of days) {
        const factor = day < date ? 4 : 1;
        expect(Math.abs((raw.get(day) ?? 0) - (adjusted.get(day) ?? 0) * factor)).toBeLessThan(
          0.03,
        );
      }
    });

    it('before its ex-date a market has no split and its "adjusted" bars are the raw ones', () => {
      const earlier = new FakeMarket({ seed: 7, symbols: 4, asOf: before, splitDate: date });
      expect(earlier.split.date).toBe(date);
      expect(earlier.splits(symbol)).toEqual([]);
      const then = closes(earlier.eod(symbol, '2018-01-01', before));
      expect(then.get(before)).toBe(raw.get(before));
      expect(then.get(before)).not.toBe(adjusted.get(before));
    });
  });
});
