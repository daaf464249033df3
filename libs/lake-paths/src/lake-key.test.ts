import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES, isLakePrefix, parseLakeKey, parseLakePrefix } from './lake-key';
import { invalidSegmentArb, segmentValueArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('parseLakeKey', () => {
  it('accepts keys of any layout made of safe segments', () => {
    const key =
      'source=fmp/dataset=quotes/dt=2026-11-25/run=20261125T101500Z-ab12cd/part-00000.ndjson.gz';
    expect(parseLakeKey(key)).toBe(key);
    expect(isLakePrefix(parseLakeKey(key))).toBe(false);
  });

  it.each([
    ['', 'key "" is empty'],
    ['/a/b', 'key "/a/b" starts with "/" (lake keys are relative to their bucket)'],
    ['a/b/', 'key "a/b/" ends with "/", which makes it a prefix, not an object key'],
  ])('rejects %j', (value, message) => {
    expect(catchLakePathError(() => parseLakeKey(value))).toMatchObject({
      code: 'invalid_key',
      message,
    });
  });

  it.each([
    ['a//b', 'key segment "" is empty'],
    ['a/./b', 'key segment "." is a relative path segment'],
    ['a/../b', 'key segment ".." is a relative path segment'],
    ['a/b c', 'key segment "b c" contains " "'],
    ['a/b?c=1', 'key segment "b?c=1" contains "?"'],
  ])('rejects %j, naming the bad segment', (value, start) => {
    const error = catchLakePathError(() => parseLakeKey(value));
    expect(error.code).toBe('invalid_segment');
    expect(error.message.startsWith(start)).toBe(true);
  });

  it(`allows ${MAX_KEY_BYTES} bytes of UTF-8 and not one more`, () => {
    const longest = `a/${'b'.repeat(MAX_KEY_BYTES - 2)}`;
    expect(parseLakeKey(longest)).toBe(longest);
    const error = catchLakePathError(() => parseLakeKey(`${longest}c`));
    expect(error).toMatchObject({ code: 'key_too_long', part: 'key' });
    expect(error.message).toContain(
      "is 1025 bytes of UTF-8, over S3's 1024-byte limit for object keys",
    );
  });

  it('counts bytes, not characters', () => {
    // 600 characters, 1200 bytes: too long even though it has fewer than 1024 characters.
    const error = catchLakePathError(() => parseLakeKey('é'.repeat(600)));
    expect(error.code).toBe('key_too_long');
    expect(error.message).toContain('is 1200 bytes of UTF-8');
  });

  it('rejects any key with an invalid segment', () => {
    fc.assert(
      fc.property(
        fc.array(segmentValueArb, { maxLength: 3 }),
        invalidSegmentArb.filter((s) => !s.includes('/') && s !== ''),
        fc.array(segmentValueArb, { minLength: 1, maxLength: 3 }),
        (before, bad, after) => {
          const key = [...before, bad, ...after].join('/');
          expect(['invalid_segment', 'invalid_key']).toContain(
            catchLakePathError(() => parseLakeKey(key)).code,
          );
        },
      ),
    );
  });
});

describe('parseLakePrefix', () => {
  it('accepts prefixes that end in "/"', () => {
    expect(parseLakePrefix('mart=finance/')).toBe('mart=finance/');
    expect(isLakePrefix(parseLakePrefix('a/b/'))).toBe(true);
  });

  it('rejects a prefix without its trailing "/"', () => {
    expect(catchLakePathError(() => parseLakePrefix('mart=finance'))).toMatchObject({
      code: 'invalid_key',
      message: 'prefix "mart=finance" does not end with "/", which every prefix must',
    });
  });
});
