import { defineContract } from '../../contract';
import { double, isoDate, ticker } from '../../fields/scalars';
import { compare } from '../../invariants/invariant';

/**
 * `GET /stable/splits?symbol=…` (FMP's "Stock Split Details"): a flat array, newest first, of
 * `{symbol, date, numerator, denominator}`; `limit` is optional. A 4-for-1 split is numerator 4,
 * denominator 1: each old share becomes four, so prices before it divide by 4 in FMP's adjusted
 * (`historical-price-eod/full`) series.
 */
export const fmpSplits = defineContract({
  source: 'fmp',
  dataset: 'splits',
  description:
    'Stock splits per symbol: the day the split takes effect and its ratio (numerator new shares for denominator old ones). Turns actual share counts and prices into the split-adjusted basis of fmp.eod_prices.',
  origin: 'GET /stable/splits?symbol=…',
  mode: 'incremental',
  fields: {
    symbol: ticker('Ticker symbol.'),
    date: isoDate(
      'First trading day on the new share basis (the ex-date); prices before it are divided by numerator / denominator in the adjusted series.',
    ).named('split_date'),
    numerator: double('New shares per `denominator` old shares (4 in a 4-for-1 split).'),
    denominator: double('Old shares exchanged for `numerator` new ones (1 in a 4-for-1 split).'),
  },
  primaryKey: ['symbol', 'split_date'],
  cursor: 'split_date',
  partitionBy: 'split_date',
  invariants: [
    {
      name: 'numerator_positive',
      description: 'numerator must be greater than 0',
      require: compare('numerator', '>', 0),
    },
    {
      name: 'denominator_positive',
      description: 'denominator must be greater than 0',
      require: compare('denominator', '>', 0),
    },
  ],
  // Only new splits land (the bookmark filters the rest), and a universe can go months without
  // one: freshness here only catches a dataset that stopped loading altogether.
  freshness: { warnAfterHours: 180 * 24, errorAfterHours: 400 * 24 },
});
