import { fmpNews } from '@finks/contracts';
import { recordDigest, stringField, type FmpStream } from './stream';

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

/**
 * Stock news per symbol, paged until an empty page; from the bookmark's day (or --from). Articles
 * of the bookmark's own second are read again and kept unless its boundary entry lists them.
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
      // The stored cursor and its boundary, under --full too (`cursors` is then empty): a window
      // that reaches the cursor's second adds to the boundary, an older one leaves it be.
      const storedCursor = stored[symbol];
      const boundary = parseBoundary(stored[boundaryEntry(symbol)]);
      // A boundary of another second (an older run's) says nothing of this one: every article at
      // the cursor is then taken as stored.
      const known =
        storedCursor !== undefined && boundary?.at === storedCursor
          ? { storedAtAfter: boundary.urls }
          : {};
      return {
        entity: symbol,
        endpoint: 'news/stock',
        params: { symbols: symbol, from: start, to, limit: PAGE_SIZE },
        paged: true,
        after,
        ...(storedCursor === undefined ? {} : { storedCursor }),
        ...known,
      };
    }),
  bookmarksOf: (unit, records, quarantined) => {
    if (unit.entity === null) return {};
    // The cursor moves with valid articles only (run-fmp.ts), and never back.
    const newest = records
      .map((raw) => stringField(raw, 'publishedDate'))
      .reduce<string | null>(
        (top, at) => (at !== undefined && (top === null || at > top) ? at : top),
        unit.storedCursor ?? null,
      );
    if (newest === null) return {};
    // Every article of that second the run stored (by URL) or quarantined (by a digest of the
    // whole record): a quarantined one read again would be quarantined again on every run, while
    // FMP's corrected version of it, another digest, is read and stored.
    const atNewest = (raw: unknown) => stringField(raw, 'publishedDate') === newest;
    const urls = [
      ...records.filter(atNewest).map((raw) => stringField(raw, 'url') ?? recordDigest(raw)),
      ...quarantined.filter(atNewest).map(recordDigest),
    ];
    if (newest === unit.storedCursor) {
      const before = unit.storedAtAfter;
      // A cursor without a boundary of its second, and nothing of that second read again (the
      // run skipped it): nothing is known to record.
      if (before === undefined && urls.length === 0) return {};
      urls.unshift(...(before ?? []));
    }
    return {
      [boundaryEntry(unit.entity)]: JSON.stringify({ at: newest, urls: [...new Set(urls)] }),
    };
  },
};
