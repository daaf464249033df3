import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keySegment, segmentValue, slug } from './segment';
import { invalidSegmentArb, invalidSlugArb, segmentValueArb, slugArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('segmentValue', () => {
  it.each(['AAPL', 'BRK.B', 'eod_prices', 'page-2', '0'])('accepts %j', (value) => {
    expect(segmentValue(value, 'name')).toBe(value);
  });

  it.each([
    ['', 'name "" is empty (a path segment needs at least one character)'],
    ['.', 'name "." is a relative path segment ("." and ".." are not allowed)'],
    ['..', 'name ".." is a relative path segment ("." and ".." are not allowed)'],
    ['a/b', 'name "a/b" contains "/" (a segment cannot contain the key separator)'],
    [
      'a b',
      `name "a b" contains " ", which is not allowed (allowed: A-Z a-z 0-9 . _ -, S3's safe characters without ! * ' ( ))`,
    ],
  ])('rejects %j and says why', (value, message) => {
    const error = catchLakePathError(() => segmentValue(value, 'name'));
    expect(error).toMatchObject({ code: 'invalid_segment', part: 'name', value, message });
  });

  it.each(['a=b', "it's", 'a*', '(a)', 'a!', 'a%20', 'a\\b', 'é', 'a\u0000'])(
    'rejects %j, outside the safe characters',
    (value) => {
      const error = catchLakePathError(() => segmentValue(value, 'name'));
      expect(error.code).toBe('invalid_segment');
      expect(error.message).toContain('which is not allowed (allowed: A-Z a-z 0-9 . _ -');
    },
  );

  it('accepts every value from the safe set and rejects every invalid one', () => {
    fc.assert(
      fc.property(segmentValueArb, (value) => {
        expect(segmentValue(value, 'name')).toBe(value);
      }),
    );
    fc.assert(
      fc.property(invalidSegmentArb, (value) => {
        const error = catchLakePathError(() => segmentValue(value, 'name'));
        expect(error.code).toBe('invalid_segment');
        expect(error.message.startsWith('name ')).toBe(true);
      }),
    );
  });
});

describe('slug', () => {
  it.each(['fmp', 'mongodb', 'eod_prices', 'cash_flow_statements', 'q4'])('accepts %j', (value) => {
    expect(slug(value, 'dataset')).toBe(value);
  });

  it.each(['Fmp', '1fmp', '_fmp', 'eod-prices', 'eod.prices'])(
    'rejects %j as not a slug',
    (value) => {
      const error = catchLakePathError(() => slug(value, 'dataset'));
      expect(error.code).toBe('invalid_segment');
      expect(error.message).toBe(
        `dataset "${value}" is not a slug (expected a lowercase letter, then lowercase letters, digits or _: ^[a-z][a-z0-9_]*$)`,
      );
    },
  );

  it('accepts every slug and rejects every non-slug', () => {
    fc.assert(
      fc.property(slugArb, (value) => {
        expect(slug(value, 'source')).toBe(value);
      }),
    );
    fc.assert(
      fc.property(invalidSlugArb, (value) => {
        expect(catchLakePathError(() => slug(value, 'source')).code).toBe('invalid_segment');
      }),
    );
  });
});

describe('keySegment', () => {
  it('also allows the = of a Hive partition segment', () => {
    expect(keySegment('dt=2026-11-25', 'key segment')).toBe('dt=2026-11-25');
    expect(catchLakePathError(() => keySegment('dt=a b', 'key segment')).code).toBe(
      'invalid_segment',
    );
  });
});
