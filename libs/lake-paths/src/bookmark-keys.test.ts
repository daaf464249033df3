import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookmarkKey, bookmarkPrefix, parseBookmarkKey } from './bookmark-keys';
import { datasetRefArb, invalidSegmentArb, segmentValueArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('bookmark keys', () => {
  it('builds bookmarks/source=…/dataset=…/<name>.json', () => {
    const ref = { source: 'fmp', dataset: 'quotes', name: 'BRK.B' };
    expect(bookmarkPrefix(ref)).toBe('bookmarks/source=fmp/dataset=quotes/');
    expect(bookmarkKey(ref)).toBe('bookmarks/source=fmp/dataset=quotes/BRK.B.json');
    expect(parseBookmarkKey('bookmarks/source=fmp/dataset=quotes/BRK.B.json')).toEqual(ref);
  });

  it('keeps a name that itself ends in .json', () => {
    const ref = { source: 'mongodb', dataset: 'portfolios', name: 'cursor.json' };
    expect(parseBookmarkKey(bookmarkKey(ref))).toEqual(ref);
  });

  it.each([
    ['a/b', 'name "a/b" contains "/"'],
    ['..', 'name ".." is a relative path segment'],
    ['', 'name "" is empty'],
    ['a=b', 'name "a=b" contains "="'],
  ])('rejects the name %j', (name, start) => {
    const error = catchLakePathError(() => bookmarkKey({ source: 'fmp', dataset: 'quotes', name }));
    expect(error.code).toBe('invalid_segment');
    expect(error.message.startsWith(start)).toBe(true);
  });

  it.each([
    'bookmarks/source=fmp/dataset=quotes/cursor.txt',
    'state/source=fmp/dataset=quotes/c.json',
  ])('refuses %j', (key) => {
    expect(catchLakePathError(() => parseBookmarkKey(key)).message).toContain(
      'is not a bookmark key (expected bookmarks/source=<source>/dataset=<dataset>/<name>.json)',
    );
  });

  it('round-trips every valid input and rejects every invalid name', () => {
    fc.assert(
      fc.property(datasetRefArb, segmentValueArb, (dataset, name) => {
        const ref = { ...dataset, name };
        expect(parseBookmarkKey(bookmarkKey(ref))).toEqual(ref);
        expect(bookmarkKey(ref).startsWith(bookmarkPrefix(dataset))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(datasetRefArb, invalidSegmentArb, (dataset, name) => {
        expect(catchLakePathError(() => bookmarkKey({ ...dataset, name }))).toMatchObject({
          code: 'invalid_segment',
          part: 'name',
        });
      }),
    );
  });
});
