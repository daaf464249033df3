import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../validate-record';
import { fmpEodPrices } from './eod-prices';

const price = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
const day = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('2100-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString().slice(0, 10));

/** Any bar FMP could send: low <= open, close <= high; optional fields null or numbers. */
const eodRow = fc
  .record({
    symbol: fc.stringMatching(/^[A-Z]{1,5}(\.[A-Z]{1,2})?$/),
    date: day,
    bounds: fc.tuple(price, price).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
    openAt: fc.double({ min: 0, max: 1, noNaN: true }),
    closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.nat(),
    change: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    changePercent: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    vwap: fc.option(price),
    extra: fc.dictionary(fc.stringMatching(/^x[A-Za-z]{1,8}$/), fc.jsonValue()),
  })
  .map(({ bounds: [low, high], openAt, closeAt, extra, ...row }) => ({
    ...extra,
    ...row,
    low,
    high,
    open: low + (high - low) * openAt,
    close: low + (high - low) * closeAt,
  }));

describe('eod_prices properties', () => {
  it('accepts every well-formed row and returns its values unchanged', () => {
    fc.assert(
      fc.property(eodRow, (row) => {
        const result = validateRecord(fmpEodPrices, row);
        expect(result).toEqual({ ok: true, record: row });
      }),
    );
  });

  it('rejects every row whose low is above its high, naming the invariant', () => {
    fc.assert(
      fc.property(eodRow, fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (row, gap) => {
        const result = validateRecord(fmpEodPrices, { ...row, low: row.high + gap });
        expect(result.ok).toBe(false);
        expect(!result.ok && result.issues.map((issue) => issue.invariant)).toContain(
          'low_not_above_high',
        );
      }),
    );
  });
});
