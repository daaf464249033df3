import { fmpEodPrices } from '@finks/contracts';
import { nextDay, type FmpStream } from './stream';

/** Daily bars per symbol from the day after its bookmark (or --from) to --to. */
export const eodPricesStream: FmpStream = {
  contract: fmpEodPrices,
  cursorField: 'date',
  plan: ({ symbols, cursors, from, to }) =>
    symbols.flatMap((symbol) => {
      const after = cursors[symbol] ?? null;
      const start = after !== null && nextDay(after) > from ? nextDay(after) : from;
      if (start > to) return [];
      return [
        {
          entity: symbol,
          endpoint: 'historical-price-eod/full',
          params: { symbol, from: start, to },
          paged: false,
          after,
        },
      ];
    }),
};
