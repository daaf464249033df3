import { defineContract } from '../../contract';
import { bigint, double, isoDate, ticker } from '../../fields/scalars';
import { compare } from '../../invariants/invariant';

/**
 * `GET /stable/historical-price-eod/full?symbol=…&from=…&to=…`: a flat array, newest first (the
 * retired v3 shape wrapped it in `{symbol, historical: […]}` with adjClose; that is gone).
 */
export const fmpEodPrices = defineContract({
  source: 'fmp',
  dataset: 'eod_prices',
  description:
    'Daily open/high/low/close and volume per symbol (split-adjusted, as FMP serves "full").',
  origin: 'GET /stable/historical-price-eod/full?symbol=…&from=…&to=…',
  mode: 'incremental',
  fields: {
    symbol: ticker('Ticker symbol.'),
    date: isoDate('Trading day.').named('trade_date'),
    open: double('Opening price.'),
    high: double('Highest price of the day.'),
    low: double('Lowest price of the day.'),
    close: double('Closing price.'),
    volume: bigint('Shares traded; 0 on days without trades.'),
    change: double('close minus the previous close.').nullable(),
    changePercent: double(
      'Change from the previous close, in percent; null on a first day.',
    ).nullable(),
    vwap: double('Volume-weighted average price.').nullable(),
  },
  primaryKey: ['symbol', 'trade_date'],
  cursor: 'trade_date',
  partitionBy: 'trade_date',
  // Only rules a genuine bar cannot break. Stricter ones (open and close within [low, high]) can
  // trip on rounding in adjusted prices, so they belong in dbt tests that warn, not in quarantine.
  invariants: [
    {
      name: 'low_not_above_high',
      description: 'low must not exceed high',
      require: compare('low', '<=', { column: 'high' }),
    },
    {
      name: 'low_not_negative',
      description: 'prices must not be negative',
      require: compare('low', '>=', 0),
    },
    {
      name: 'volume_not_negative',
      description: 'volume must not be negative',
      require: compare('volume', '>=', 0),
    },
  ],
  // Loaded after each weekday close: a weekend plus a holiday is ~96 hours without a new day.
  freshness: { warnAfterHours: 80, errorAfterHours: 104 },
});
