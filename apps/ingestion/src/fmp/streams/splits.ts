import { fmpSplits } from '@finks/contracts';
import type { FmpStream } from './stream';

/** The bookmark entry holding the splits of a symbol in effect, as `date:numerator/denominator,…`. */
export const splitsEntry = (symbol: string) => `${symbol}:splits`;

/** The splits among `records` dated on or before `upTo`, oldest first, as one comparable text. */
export function splitsInEffect(records: readonly unknown[], upTo: string | undefined): string {
  return records
    .map((record) => record as { date?: unknown; numerator?: unknown; denominator?: unknown })
    .filter((split) => typeof split.date === 'string' && (upTo === undefined || split.date <= upTo))
    .map((split) => `${String(split.date)}:${String(split.numerator)}/${String(split.denominator)}`)
    .sort()
    .join(',');
}

/**
 * Splits per symbol. The endpoint has no date filter, and each request stores the symbol's whole
 * (short) split history: FMP may correct the ratio of a split already stored, and silver keeps
 * the latest fetch of each. A symbol's cursor is the ex-date of its newest split on or before the
 * run's `to`, and `<SYMBOL>:splits` the splits in effect by then; eod_prices reads both to find
 * stale history. A split listed ahead of its ex-date moves neither until a run's `to` reaches
 * it: a cursor past it would hide a split before it that has happened.
 */
export const splitsStream: FmpStream = {
  contract: fmpSplits,
  cursorField: 'date',
  plan: ({ symbols, to }) =>
    symbols.map((symbol) => ({
      entity: symbol,
      endpoint: 'splits',
      params: { symbol },
      paged: false,
      after: null,
      cursorUpTo: to,
    })),
  bookmarksOf: (unit, records) =>
    unit.entity === null
      ? {}
      : { [splitsEntry(unit.entity)]: splitsInEffect(records, unit.cursorUpTo) },
};
