import { fmpSplits } from '@finks/contracts';
import type { FmpStream } from './stream';

/**
 * Splits per symbol. The endpoint has no date filter: each request reads the symbol's whole
 * (short) split history and keeps the splits after the bookmark. A symbol's bookmark is the
 * ex-date of its newest split on or before the run's `to`, which eod_prices reads to find stale
 * history. A split listed ahead of its ex-date is stored but moves no bookmark until a run's
 * `to` reaches it (it is stored again each run until then; silver keeps one): a bookmark past it
 * would hide a split before it that has happened.
 */
export const splitsStream: FmpStream = {
  contract: fmpSplits,
  cursorField: 'date',
  plan: ({ symbols, cursors, to }) =>
    symbols.map((symbol) => ({
      entity: symbol,
      endpoint: 'splits',
      params: { symbol },
      paged: false,
      after: cursors[symbol] ?? null,
      cursorUpTo: to,
    })),
};
