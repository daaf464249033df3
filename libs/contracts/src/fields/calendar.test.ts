import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCalendarDate, isFmpDateTime, isIsoDate } from './calendar';

// The definitions the fast checks replaced: the encodings' patterns plus a Date round trip.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FMP_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const referenceIsoDate = (value: string) => {
  const m = ISO_DATE.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
};
const referenceFmpDateTime = (value: string) => {
  const m = FMP_DATETIME.exec(value);
  return (
    m !== null &&
    isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) &&
    Number(m[4]) <= 23 &&
    Number(m[5]) <= 59 &&
    Number(m[6]) <= 59
  );
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');
// Mostly well-formed, with out-of-range parts, so the calendar rules are what gets tested.
const dateText = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
  )
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const timeText = fc
  .tuple(
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
  )
  .map(([h, m, s]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`);
const noise = fc.string({ unit: fc.constantFrom(...'0123456789-: T/Z١'.split('')), maxLength: 21 });

describe('calendar checks', () => {
  it('isIsoDate agrees with the pattern and a Date round trip', () => {
    fc.assert(
      fc.property(fc.oneof(dateText, noise), (text) => {
        expect(isIsoDate(text)).toBe(referenceIsoDate(text));
      }),
      { numRuns: 5000 },
    );
    for (const text of ['2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '0099-01-01']) {
      expect(isIsoDate(text)).toBe(referenceIsoDate(text));
    }
  });

  it('isFmpDateTime agrees with the pattern and a Date round trip', () => {
    const dateTime = fc.tuple(dateText, timeText).map(([d, t]) => `${d} ${t}`);
    fc.assert(
      fc.property(fc.oneof(dateTime, noise), (text) => {
        expect(isFmpDateTime(text)).toBe(referenceFmpDateTime(text));
      }),
      { numRuns: 5000 },
    );
  });
});
