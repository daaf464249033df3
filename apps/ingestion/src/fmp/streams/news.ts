import { fmpNews } from '@finks/contracts';
import type { FmpStream } from './stream';

const PAGE_SIZE = '100';

/** Stock news per symbol, paged until an empty page; from the bookmark's day (or --from). */
export const newsStream: FmpStream = {
  contract: fmpNews,
  cursorField: 'publishedDate',
  plan: ({ symbols, cursors, from, to }) =>
    symbols.map((symbol) => {
      const after = cursors[symbol] ?? null;
      const day = after?.slice(0, 10);
      const start = day !== undefined && day > from ? day : from;
      return {
        entity: symbol,
        endpoint: 'news/stock',
        params: { symbols: symbol, from: start, to, limit: PAGE_SIZE },
        paged: true,
        after,
      };
    }),
};
