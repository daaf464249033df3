import { describe, expect, it } from 'vitest';
import { advanceCursor, isBeyondCursor, publishedTimeOf, type StreamCursor } from './stream-state';

const at = (published: string, url: string) => ({ published, url });

describe('stream cursor', () => {
  const cursor: StreamCursor = {
    published: '2025-06-30 10:00:05',
    boundaryUrls: ['https://news/a', 'https://news/b'],
  };

  it('takes later seconds and unseen URLs of the boundary second, nothing earlier', () => {
    expect(isBeyondCursor(cursor, '2025-06-30 10:00:06', 'https://news/a')).toBe(true);
    expect(isBeyondCursor(cursor, '2025-06-30 10:00:05', 'https://news/c')).toBe(true);
    expect(isBeyondCursor(cursor, '2025-06-30 10:00:05', 'https://news/a')).toBe(false);
    expect(isBeyondCursor(cursor, '2025-06-30 10:00:04', 'https://news/z')).toBe(false);
    expect(isBeyondCursor({ published: null, boundaryUrls: [] }, '2000-01-01 00:00:00', 'x')).toBe(
      true,
    );
  });

  it('merges URLs of the same second and restarts the set on a newer one', () => {
    expect(advanceCursor(cursor, [at('2025-06-30 10:00:05', 'https://news/c')])).toEqual({
      published: '2025-06-30 10:00:05',
      boundaryUrls: ['https://news/a', 'https://news/b', 'https://news/c'],
    });
    expect(
      advanceCursor(cursor, [
        at('2025-06-30 10:00:07', 'https://news/e'),
        at('2025-06-30 10:00:06', 'https://news/d'),
        at('2025-06-30 10:00:07', 'https://news/f'),
      ]),
    ).toEqual({
      published: '2025-06-30 10:00:07',
      boundaryUrls: ['https://news/e', 'https://news/f'],
    });
    // Older articles accepted late do not move the cursor back.
    expect(advanceCursor(cursor, [at('2025-06-30 09:00:00', 'https://news/old')])).toEqual(cursor);
  });

  it('moves only on publish times FMP would send: a malformed one cannot hold the cursor up', () => {
    expect(publishedTimeOf({ publishedDate: '2025-06-30 10:00:07' })).toBe('2025-06-30 10:00:07');
    for (const bad of ['not a date', '2025-06-30T10:00:07Z', 20250630, null, undefined]) {
      expect(publishedTimeOf({ publishedDate: bad })).toBe('');
    }
    expect(publishedTimeOf('a string')).toBe('');
    // 'not a date' sorts after every real time; as '' it moves nothing and is always taken.
    expect(
      advanceCursor(cursor, [at(publishedTimeOf({ publishedDate: 'not a date' }), 'x')]),
    ).toEqual(cursor);
    expect(isBeyondCursor(cursor, '', 'https://news/a')).toBe(true);
  });
});
