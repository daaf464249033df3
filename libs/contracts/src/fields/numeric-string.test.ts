import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SOURCE_ENCODINGS } from '../encodings';
import { parseNumeric } from './numeric-string';

const NUMERIC = new RegExp(SOURCE_ENCODINGS.numeric_string.pattern);

describe('parseNumeric', () => {
  it('converts the string of any safe integer back to exactly that integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseNumeric(String(n), { integer: true })).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('converts the string of any finite double back to exactly that double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        // String(-0) is "0": the sign of zero is the one thing a string round trip drops.
        expect(parseNumeric(String(d), { integer: false })).toBe(Object.is(d, -0) ? 0 : d);
      }),
    );
  });

  it('rejects every string that is not a plain decimal number, quoting it', () => {
    const notNumeric = fc.string({ unit: 'grapheme-ascii' }).filter((text) => !NUMERIC.test(text));
    fc.assert(
      fc.property(notNumeric, (text) => {
        expect(parseNumeric(text, { integer: false })).toBe(
          `expected a numeric string, got ${JSON.stringify(text)}`,
        );
      }),
    );
  });

  it('refuses what Number() would quietly accept', () => {
    for (const text of ['', ' ', '0x10', 'Infinity', '1_000', '١٢', '1e', '.']) {
      expect(typeof parseNumeric(text, { integer: false })).toBe('string');
    }
    expect(parseNumeric('1e400', { integer: false })).toBe('1e400 is not a finite number');
    expect(parseNumeric('9007199254740993', { integer: true })).toMatch(/whole number/);
  });
});
