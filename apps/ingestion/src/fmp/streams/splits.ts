import { fmpSplits } from '@finks/contracts';
import type { FmpStream } from './stream';

/**
 * Splits per symbol. The endpoint has no date filter: each request reads the symbol's whole
 * (short) split history and keeps the splits after the bookmark, so the bookmark of a symbol is
 * the ex-date of its newest known split, which eod_prices reads to find stale history.
 */
export const splitsStream: FmpStream = {
  contract: fmpSplits,
  cursorField: 'date',
  plan: ({ symbols, cursors }) =>
    symbols.map((symbol) => ({
      entity: symbol,
      endpoint: 'splits',
      params: { symbol },
      paged: false,
      after: cursors[symbol] ?? null,
    })),
};
