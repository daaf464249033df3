import { defineContract } from '../../contract';
import { money, mongoDate, objectId } from '../../fields/mongo';
import { oneOf, ticker } from '../../fields/scalars';
import { compare, isIn, notNull } from '../../invariants/invariant';

export const TRANSACTION_TYPES = ['deposit', 'withdrawal', 'buy', 'sell', 'fee'] as const;

const TRADES = ['buy', 'sell'];

/** The `transactions` collection, read incrementally by `updatedAt`. */
export const mongodbTransactions = defineContract({
  source: 'mongodb',
  dataset: 'transactions',
  description:
    'Cash movements and trades in a portfolio. amount is always positive; type gives the direction.',
  origin: 'collection transactions',
  mode: 'incremental',
  fields: {
    _id: objectId('Transaction id (ObjectId as 24 lowercase hex characters).'),
    portfolioId: objectId('The portfolio it belongs to (portfolios.id).'),
    type: oneOf(TRANSACTION_TYPES, 'What happened: deposit, withdrawal, buy, sell or fee.').named(
      'transaction_type',
    ),
    symbol: ticker('Security traded; required for buy and sell, absent otherwise.').nullable(),
    quantity: money('Units bought or sold; required for buy and sell.').nullable(),
    price: money('Price per unit in the portfolio currency; required for buy and sell.').nullable(),
    amount: money('Cash moved, in the portfolio currency, always positive.'),
    ts: mongoDate('When the transaction took place (UTC).').named('transacted_at'),
    updatedAt: mongoDate('When the document last changed (UTC); the incremental watermark.'),
  },
  primaryKey: ['id'],
  cursor: 'updated_at',
  // Partitioned by change date like portfolios: a corrected old trade is a new version written
  // to today's partition, never a rewrite of an old one.
  partitionBy: 'updated_at',
  invariants: [
    {
      name: 'trade_has_symbol',
      description: 'a buy or sell must name its symbol',
      when: isIn('transaction_type', TRADES),
      require: notNull('symbol'),
    },
    {
      name: 'trade_has_quantity',
      description: 'a buy or sell must have a quantity',
      when: isIn('transaction_type', TRADES),
      require: notNull('quantity'),
    },
    {
      name: 'trade_quantity_positive',
      description: 'a buy or sell must have quantity > 0',
      when: isIn('transaction_type', TRADES),
      require: compare('quantity', '>', 0),
    },
    {
      name: 'trade_has_price',
      description: 'a buy or sell must have a price',
      when: isIn('transaction_type', TRADES),
      require: notNull('price'),
    },
    {
      name: 'price_not_negative',
      description: 'price must not be negative',
      require: compare('price', '>=', 0),
    },
    {
      name: 'amount_positive',
      description: 'amount must be > 0 (the direction is in type)',
      require: compare('amount', '>', 0),
    },
  ],
  freshness: { warnAfterHours: 12, errorAfterHours: 36 },
});
