import { describe, expect, it } from 'vitest';
import { boundaryEntry, newsStream } from './news';
import { storedBefore, type FmpRequestUnit, type PlanInput } from './stream';

const input = (stored: Record<string, string>): PlanInput => ({
  symbols: ['AAPL'],
  cursors: stored,
  stored,
  from: '2025-01-01',
  to: '2025-06-30',
  periods: [],
  statementLimit: 0,
  relatedCursors: {},
});
const AT = '2025-06-30 15:39:00';
const article = (publishedDate: string, url: string) => ({ symbol: 'AAPL', publishedDate, url });
const boundary = (at: string, urls: string[]) => JSON.stringify({ at, urls });

describe('news stream', () => {
  it('plans the articles stored at the cursor from a boundary of the same second only', () => {
    const [same] = newsStream.plan(
      input({ AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, ['u1']) }),
    );
    expect(same).toMatchObject({ after: AT, storedAtAfter: ['u1'] });
    const [older] = newsStream.plan(
      input({ AAPL: AT, [boundaryEntry('AAPL')]: boundary('2025-06-29 10:00:00', ['u0']) }),
    );
    expect(older?.storedAtAfter).toBeUndefined();
    const [unreadable] = newsStream.plan(input({ AAPL: AT, [boundaryEntry('AAPL')]: '{' }));
    expect(unreadable?.storedAtAfter).toBeUndefined();
  });

  it('keeps a record at the cursor only when the boundary does not list it', () => {
    const unit: FmpRequestUnit = {
      entity: 'AAPL',
      endpoint: 'news/stock',
      params: {},
      paged: true,
      after: AT,
      storedAtAfter: ['u1'],
    };
    const { storedAtAfter: _, ...withoutBoundary } = unit;
    expect(storedBefore(unit, '2025-06-30 15:38:59', 'u9')).toBe(true);
    expect(storedBefore(unit, AT, 'u1')).toBe(true);
    expect(storedBefore(unit, AT, 'u2')).toBe(false);
    expect(storedBefore(unit, '2025-06-30 15:39:01', 'u1')).toBe(false);
    // Without a boundary every record at the cursor counts as stored, as before boundaries.
    expect(storedBefore(withoutBoundary, AT, 'u2')).toBe(true);
    expect(storedBefore({ ...unit, after: null }, AT, 'u1')).toBe(false);
  });

  it('records the URLs of the newest second, adding to the boundary when the cursor stays', () => {
    const [unit] = newsStream.plan(
      input({ AAPL: AT, [boundaryEntry('AAPL')]: boundary(AT, ['u1']) }),
    );
    if (unit === undefined) throw new Error('no unit planned');
    const later = '2025-06-30 16:00:00';
    expect(
      newsStream.bookmarksOf?.(unit, [
        article(later, 'u3'),
        article(AT, 'u2'),
        article(later, 'u4'),
      ]),
    ).toEqual({ [boundaryEntry('AAPL')]: boundary(later, ['u3', 'u4']) });
    expect(newsStream.bookmarksOf?.(unit, [article(AT, 'u2')])).toEqual({
      [boundaryEntry('AAPL')]: boundary(AT, ['u1', 'u2']),
    });
    expect(newsStream.bookmarksOf?.(unit, [])).toEqual({});
    // A cursor stored before boundaries existed: nothing at it is known, so nothing is recorded.
    const [legacy] = newsStream.plan(input({ AAPL: AT }));
    if (legacy === undefined) throw new Error('no unit planned');
    expect(newsStream.bookmarksOf?.(legacy, [article(AT, 'u2')])).toEqual({});
  });
});
