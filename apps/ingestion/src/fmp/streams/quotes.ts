import { fmpQuotes } from '@finks/contracts';
import type { FmpStream } from './stream';

// FMP accepts long symbol lists, but a URL over ~2 kB risks proxies; 100 tickers stay well under.
const SYMBOLS_PER_REQUEST = 100;

/** Latest quotes; every poll appends, so there is no bookmark. */
export const quotesStream: FmpStream = {
  contract: fmpQuotes,
  cursorField: null,
  plan: ({ symbols }) => {
    const units = [];
    for (let i = 0; i < symbols.length; i += SYMBOLS_PER_REQUEST) {
      const chunk = symbols.slice(i, i + SYMBOLS_PER_REQUEST);
      units.push({
        entity: null,
        endpoint: 'batch-quote',
        params: { symbols: chunk.join(',') },
        paged: false,
        after: null,
      });
    }
    return units;
  },
};
