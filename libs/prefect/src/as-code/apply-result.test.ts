import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSubset, sameJson } from './apply-result';

describe('sameJson', () => {
  it('ignores key order and undefined members', () => {
    expect(
      sameJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1, e: undefined }),
    ).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});

describe('isSubset', () => {
  it('holds for any JSON value against itself and against a copy with extra keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (value, extra) => {
        expect(isSubset(value, structuredClone(value))).toBe(true);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          expect(isSubset(value, { ...extra, ...value })).toBe(true);
        }
      }),
    );
  });

  it('notices changed values and different array lengths', () => {
    expect(isSubset({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
    expect(isSubset({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(isSubset({ a: 1 }, {})).toBe(false);
  });
});
