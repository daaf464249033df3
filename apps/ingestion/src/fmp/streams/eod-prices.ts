import { fmpEodPrices } from '@finks/contracts';
import { splitsEntry } from './splits';
import { nextDay, type FmpRequestUnit, type FmpStream } from './stream';

/** The bookmark entry holding the share basis of a symbol's stored history. */
export const basisEntry = (symbol: string) => `${symbol}:basis`;
/** The bookmark entry holding the first day of a symbol's stored history. */
export const sinceEntry = (symbol: string) => `${symbol}:since`;

/**
 * Daily bars per symbol from the day after its bookmark (or --from) to --to.
 *
 * FMP's `full` bars are split-adjusted to the share basis of the day they are fetched, so a
 * split makes every bar stored before it stale. Each symbol's bookmarks hold its basis: the `to`
 * of the last request that read its whole history (the first one, or a re-fetch). When the splits
 * dataset knows a split of the symbol dated after that basis and on or before `to`, the plan
 * reads the symbol's whole history again and moves the basis to `to`; silver and staging keep the
 * latest ingestion of each bar, so the re-read bars replace the stale ones. The whole history
 * starts at the earliest `from` a full read of the symbol used (its `since` bookmark), so a
 * daily run (default --from: five years back) repairs a longer backfill too.
 * A full read also records the splits in effect it was read on (`<SYMBOL>:splits`, as the splits
 * dataset fingerprints them): when FMP corrects a ratio, they differ and the history is read
 * again. History read before this bookmark existed takes the current splits as its own.
 * History stored before the bookmarks held a basis is taken to be on the basis of its newest
 * bar (true for a connector run daily).
 * Under --full the positions are ignored but not what the stored bookmarks say of the history:
 * a window re-read from a later --from keeps `since` at the stored first day (the bars before
 * it are still there, and on the current basis unless a split makes them stale, in which case
 * the read starts at `since` as above).
 */
export const eodPricesStream: FmpStream = {
  contract: fmpEodPrices,
  cursorField: 'date',
  readsBookmarksOf: 'splits',
  plan: ({ symbols, cursors, stored, relatedCursors: splitsBookmarks, from, to }) =>
    symbols.flatMap((symbol): FmpRequestUnit[] => {
      const after = cursors[symbol] ?? null;
      const basis = stored[basisEntry(symbol)] ?? stored[symbol] ?? null;
      const newestSplit = splitsBookmarks[symbol];
      const splitsNow = splitsBookmarks[splitsEntry(symbol)];
      const splitsReadOn = stored[splitsEntry(symbol)];
      const corrected =
        splitsNow !== undefined && splitsReadOn !== undefined && splitsNow !== splitsReadOn;
      const stale =
        (basis !== null && newestSplit !== undefined && newestSplit > basis && newestSplit <= to) ||
        corrected;
      const splitsBookmark = splitsNow === undefined ? {} : { [splitsEntry(symbol)]: splitsNow };
      if (after === null || stale) {
        // The stored history's first day, or --from when that is earlier (or nothing is stored).
        const since = stored[sinceEntry(symbol)];
        const firstDay = since !== undefined && since < from ? since : from;
        return [
          {
            entity: symbol,
            endpoint: 'historical-price-eod/full',
            params: { symbol, from: stale ? firstDay : from, to },
            paged: false,
            after: null,
            bookmarks: {
              [basisEntry(symbol)]: to,
              [sinceEntry(symbol)]: firstDay,
              ...splitsBookmark,
            },
          },
        ];
      }
      const start = nextDay(after) > from ? nextDay(after) : from;
      if (start > to) return [];
      return [
        {
          entity: symbol,
          endpoint: 'historical-price-eod/full',
          params: { symbol, from: start, to },
          paged: false,
          after,
          ...(splitsReadOn === undefined && splitsNow !== undefined
            ? { bookmarks: splitsBookmark }
            : {}),
        },
      ];
    }),
};
