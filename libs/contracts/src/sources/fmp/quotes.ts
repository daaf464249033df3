import { defineContract } from '../../contract';
import { bigint, double, text, ticker, unixSeconds } from '../../fields/scalars';
import { compare } from '../../invariants/invariant';

/** `GET /stable/batch-quote?symbols=…`: the latest quote per symbol, one row each. */
export const fmpQuotes = defineContract({
  source: 'fmp',
  dataset: 'quotes',
  description:
    'Latest quote per symbol from the batch quote endpoint, polled during market hours. Each poll appends one row per symbol.',
  origin: 'GET /stable/batch-quote?symbols=…',
  mode: 'incremental',
  fields: {
    symbol: ticker('Ticker symbol.'),
    name: text('Security name.').nullable(),
    price: double('Last traded price, in the listing currency.'),
    changePercentage: double('Change from the previous close, in percent (1.5 = 1.5%).').nullable(),
    change: double('Change from the previous close, in the listing currency.').nullable(),
    volume: bigint('Shares traded today so far.').nullable(),
    dayLow: double("Today's low.").nullable(),
    dayHigh: double("Today's high.").nullable(),
    yearHigh: double('52-week high.').nullable(),
    yearLow: double('52-week low.').nullable(),
    marketCap: double('Market capitalisation, in the listing currency.').nullable(),
    priceAvg50: double('50-day moving average price.').nullable(),
    priceAvg200: double('200-day moving average price.').nullable(),
    exchange: text('Exchange short name (NASDAQ, NYSE, TSX…).').nullable().named('exchange_code'),
    open: double("Today's opening price.").nullable(),
    previousClose: double("Previous session's closing price.").nullable(),
    timestamp: unixSeconds('When FMP last updated the quote (UTC).').named('quoted_at'),
  },
  primaryKey: ['symbol', 'quoted_at'],
  cursor: 'quoted_at',
  partitionBy: 'quoted_at',
  invariants: [
    {
      name: 'price_not_negative',
      description: 'price must not be negative',
      require: compare('price', '>=', 0),
    },
    {
      name: 'day_range_ordered',
      description: "today's low must not exceed today's high",
      require: compare('day_low', '<=', { column: 'day_high' }),
    },
    {
      name: 'volume_not_negative',
      description: 'volume must not be negative',
      require: compare('volume', '>=', 0),
    },
  ],
  // Polled on weekdays only; Friday's last poll to Monday's first spans ~66 hours, longer with a
  // holiday, so anything tighter would alert every weekend.
  freshness: { warnAfterHours: 72, errorAfterHours: 96 },
});
