import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { violates } from './evaluate';
import { compare, isIn, notNull, type Invariant } from './invariant';
import { invariantToSql } from './to-sql';

const tradeHasSymbol: Invariant = {
  name: 'trade_has_symbol',
  description: 'a trade names its symbol',
  when: isIn('transaction_type', ['buy', 'sell']),
  require: notNull('symbol'),
};

const lowNotAboveHigh: Invariant = {
  name: 'low_not_above_high',
  description: 'low <= high',
  require: compare('low', '<=', { column: 'high' }),
};

describe('invariants', () => {
  it('render to SQL that is FALSE exactly for violating rows', () => {
    expect(invariantToSql(tradeHasSymbol)).toBe(
      "NOT (transaction_type IN ('buy', 'sell')) OR (symbol IS NOT NULL)",
    );
    expect(invariantToSql(lowNotAboveHigh)).toBe('low <= high');
    expect(
      invariantToSql({
        name: 'x',
        description: 'x',
        require: compare('name', '!=', "O'Brien"),
      }),
    ).toBe("name <> 'O''Brien'");
    expect(
      invariantToSql({ name: 'y', description: 'y', require: compare('flag', '=', true) }),
    ).toBe('flag = TRUE');
  });

  it('follow SQL three-valued logic: a NULL never violates, except for not_null', () => {
    const row = (values: Record<string, unknown>) => (column: string) =>
      values[column] as string | number | null | undefined;
    expect(violates(tradeHasSymbol, row({ transaction_type: 'buy', symbol: null }))).toBe(true);
    expect(violates(tradeHasSymbol, row({ transaction_type: 'deposit', symbol: null }))).toBe(
      false,
    );
    // An unknown type does not make the condition true, so the row is not a violation.
    expect(violates(tradeHasSymbol, row({ transaction_type: null, symbol: null }))).toBe(false);
    expect(violates(lowNotAboveHigh, row({ low: null, high: 1 }))).toBe(false);
    expect(violates(lowNotAboveHigh, row({ low: 2, high: 1 }))).toBe(true);
  });

  it('compare dates by instant', () => {
    const invariant: Invariant = {
      name: 'ordered',
      description: 'ordered',
      require: compare('updated_at', '>=', { column: 'created_at' }),
    };
    const values: Record<string, Date> = {
      created_at: new Date('2025-01-02T00:00:00Z'),
      updated_at: new Date('2025-01-01T00:00:00Z'),
    };
    expect(violates(invariant, (column) => values[column])).toBe(true);
  });

  it('agree with the comparison they describe for any pair of numbers', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (low, high) => {
        const values: Record<string, number> = { low, high };
        expect(violates(lowNotAboveHigh, (column) => values[column])).toBe(!(low <= high));
      }),
    );
  });
});
