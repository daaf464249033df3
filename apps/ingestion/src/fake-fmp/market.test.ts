import { describe, expect, it } from 'vitest';
import {
  validateRecord,
  fmpEodPrices,
  fmpCompanyProfiles,
  fmpIncomeStatements,
  fmpNews,
  fmpQuotes,
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

  it('has exactly one split, on a listed symbol', () => {
    expect(market.split.ratio).toBe(4);
    expect(market.symbols).toContain(market.split.symbol);
  });
});
