import { describe, expect, it } from 'vitest';
import { boundaryEntry, newsStream } from './news';
import { recordDigest, storedBefore, type FmpRequestUnit, type PlanInput } from './stream';

const AT = '2025-06-30 15:39:00';
const LATER = '2025-06-30 16:00:00';
const article = (publishedDate: string, url: string) => ({ symbol: 'AAPL', publishedDate, url });
const boundary = (at: string, urls: string[]) => JSON.stringify({ at, urls });

/** The news unit of AAPL for these stored bookmarks; `full`: the run ignores their positions. */
function unitFor(stored: Record<string, string>, full = false): FmpRequestUnit {
  const input: PlanInput = {
    symbols: ['AAPL'],
    cursors: full ? {} : stored,
    stored,
    from: '2025-01-01',
    to: '2025-06-30',
    periods: [],
    statementLimit: 0,
    relatedCursors: {},
  };
  const [unit] = newsStream.plan(input);
  if (unit === undefined) throw new Error('no unit planned');
  return unit;
}
const bookmarks = (
  unit: FmpRequestUnit,
  records: readonly unknown[],
  quarantined: readonly unknown[] = [],
) => newsStream.bookmarksOf?.(unit, records, quarantined);

describe('news stream', () => {
  it('plans the articles stored at the cursor from a boundary of the same second only', () => {
    expect(unitFor({ AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, ['u1']) })).toMatchObject({
      after: AT,
      storedCursor: AT,
      storedAtAfter: ['u1'],
    });
    const older = unitFor({ AAPL: AT, [boundaryEntry('AAPL')]: boundary('2025-06-29 10:00', []) });
    expect(older.storedAtAfter).toBeUndefined();
    expect(unitFor({ AAPL: AT, [boundaryEntry('AAPL')]: '{' }).storedAtAfter).toBeUndefined();
    // Under --full nothing is filtered, but the stored position is still known.
    const full = unitFor({ AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, ['u1']) }, true);
    expect(full).toMatchObject({ after: null, storedCursor: AT, storedAtAfter: ['u1'] });
  });

  it('keeps a record at the cursor only when the boundary does not list it', () => {
    const unit = unitFor({ AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, ['u1']) });
    expect(
      storedBefore(unit, '2025-06-30 15:38:59', article('2025-06-30 15:38:59', 'u9'), 'url'),
    ).toBe(true);
    expect(storedBefore(unit, AT, article(AT, 'u1'), 'url')).toBe(true);
    expect(storedBefore(unit, AT, article(AT, 'u2'), 'url')).toBe(false);
    expect(storedBefore(unit, LATER, article(LATER, 'u1'), 'url')).toBe(false);
    // Without a boundary every record at the cursor counts as stored, as before boundaries.
    expect(storedBefore(unitFor({ AAPL: AT }), AT, article(AT, 'u2'), 'url')).toBe(true);
    expect(storedBefore(unitFor({ AAPL: AT }, true), AT, article(AT, 'u1'), 'url')).toBe(false);
  });

  it('records the articles of the newest second, adding to the boundary when the cursor stays', () => {
    const unit = unitFor({ AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, ['u1']) });
    const records = [article(LATER, 'u3'), article(AT, 'u2'), article(LATER, 'u4')];
    expect(bookmarks(unit, records)).toEqual({
      [boundaryEntry('AAPL')]: boundary(LATER, ['u3', 'u4']),
    });
    expect(bookmarks(unit, [article(AT, 'u2')])).toEqual({
      [boundaryEntry('AAPL')]: boundary(AT, ['u1', 'u2']),
    });
    expect(bookmarks(unit, [])).toEqual({ [boundaryEntry('AAPL')]: boundary(AT, ['u1']) });
    // A cursor stored before boundaries existed: nothing at it was read, so nothing is recorded.
    expect(bookmarks(unitFor({ AAPL: AT }), [])).toEqual({});
  });

  it('lists the quarantined articles of that second too, by digest, so they are not read again', () => {
    const unit = unitFor({ AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, []) });
    const untitled = { ...article(LATER, 'u6'), title: null };
    const noUrl = { symbol: 'AAPL', publishedDate: LATER };
    expect(bookmarks(unit, [article(LATER, 'u5')], [untitled, noUrl])).toEqual({
      [boundaryEntry('AAPL')]: boundary(LATER, ['u5', recordDigest(untitled), recordDigest(noUrl)]),
    });
    const next = unitFor({
      AAPL: LATER,
      [boundaryEntry('AAPL')]: boundary(LATER, ['u5', recordDigest(untitled), recordDigest(noUrl)]),
    });
    // The same bad records are skipped at that second; FMP's corrected article is read again.
    expect(storedBefore(next, LATER, untitled, 'url')).toBe(true);
    expect(storedBefore(next, LATER, noUrl, 'url')).toBe(true);
    expect(storedBefore(next, LATER, { ...untitled, title: 'Fixed' }, 'url')).toBe(false);
    expect(storedBefore(next, LATER, article(LATER, 'u5'), 'url')).toBe(true);
  });

  it('under --full, leaves the boundary of a newer stored cursor as it is', () => {
    const stored = { AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, ['u1']) };
    // A window that ends before the cursor's second.
    expect(bookmarks(unitFor(stored, true), [article('2024-06-28 09:00:00', 'old')])).toEqual({
      [boundaryEntry('AAPL')]: boundary(AT, ['u1']),
    });
    // One that reaches it reads every article of it again.
    expect(bookmarks(unitFor(stored, true), [article(AT, 'u1'), article(AT, 'u2')])).toEqual({
      [boundaryEntry('AAPL')]: boundary(AT, ['u1', 'u2']),
    });
    // A cursor from before boundaries: the full read of its second gives its first boundary.
    expect(bookmarks(unitFor({ AAPL: AT }, true), [article(AT, 'u1')])).toEqual({
      [boundaryEntry('AAPL')]: boundary(AT, ['u1']),
    });
  });
});
