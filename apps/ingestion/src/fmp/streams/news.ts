import { fmpNews } from '@finks/contracts';
import type { FmpStream } from './stream';

const PAGE_SIZE = '100';

/**
 * The bookmark entry holding the articles stored at a symbol's cursor: `{"at", "urls"}`, the
 * cursor's second and the URLs of that second. FMP stamps articles to the second, and one of the
 * cursor's second may be listed only after a run has moved the cursor to it.
 */
export const boundaryEntry = (symbol: string) => `${symbol}:boundary`;

interface Boundary {
  readonly at: string;
  readonly urls: readonly string[];
}

function parseBoundary(text: string | undefined): Boundary | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Boundary>;
    if (typeof value.at === 'string' && Array.isArray(value.urls)) {
      return { at: value.at, urls: value.urls.filter((url) => typeof url === 'string') };
    }
  } catch {
    // Unreadable: as if absent, so every article at the cursor counts as stored (no duplicates).
  }
  return undefined;
}

const stringField = (raw: unknown, field: string) => {
  const value =
    raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/**
 * Stock news per symbol, paged until an empty page; from the bookmark's day (or --from). Articles
 * of the bookmark's own second are read again and kept unless their URL is in its boundary entry.
 */
export const newsStream: FmpStream = {
  contract: fmpNews,
  cursorField: 'publishedDate',
  identityField: 'url',
  plan: ({ symbols, cursors, stored, from, to }) =>
    symbols.map((symbol) => {
      const after = cursors[symbol] ?? null;
      const day = after?.slice(0, 10);
      const start = day !== undefined && day > from ? day : from;
      const boundary = parseBoundary(stored[boundaryEntry(symbol)]);
      // A boundary of another second (an older run's, or a --full window's) says nothing of this
      // one: every article at the cursor is then taken as stored.
      const storedAtAfter =
        after !== null && boundary?.at === after ? { storedAtAfter: boundary.urls } : {};
      return {
        entity: symbol,
        endpoint: 'news/stock',
        params: { symbols: symbol, from: start, to, limit: PAGE_SIZE },
        paged: true,
        after,
        ...storedAtAfter,
      };
    }),
  bookmarksOf: (unit, records) => {
    if (unit.entity === null) return {};
    const published = records.map((raw) => stringField(raw, 'publishedDate'));
    const newest = published.reduce<string | null>(
      (top, at) => (at !== undefined && (top === null || at > top) ? at : top),
      unit.after,
    );
    if (newest === null) return {};
    const urls = records
      .filter((_, index) => published[index] === newest)
      .map((raw) => stringField(raw, 'url'))
      .filter((url): url is string => url !== undefined);
    if (newest === unit.after) {
      // Without a boundary of this second, every article at it counted as stored: nothing to add.
      if (unit.storedAtAfter === undefined || urls.length === 0) return {};
      urls.unshift(...unit.storedAtAfter);
    }
    return {
      [boundaryEntry(unit.entity)]: JSON.stringify({ at: newest, urls: [...new Set(urls)] }),
    };
  },
};
