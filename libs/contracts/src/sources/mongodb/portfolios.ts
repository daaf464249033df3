import { defineContract } from '../../contract';
import { currencyCode, mongoDate, objectId } from '../../fields/mongo';
import { text } from '../../fields/scalars';
import { compare } from '../../invariants/invariant';

/** The `portfolios` collection, read incrementally by `updatedAt`. */
export const mongodbPortfolios = defineContract({
  source: 'mongodb',
  dataset: 'portfolios',
  description:
    "Users' portfolios. Each change to a portfolio lands as a new version (see updated_at).",
  origin: 'collection portfolios',
  mode: 'incremental',
  fields: {
    _id: objectId('Portfolio id (the MongoDB ObjectId as 24 lowercase hex characters).'),
    name: text('Name the user gave the portfolio.'),
    baseCurrency: currencyCode('Currency the portfolio is valued in (ISO 4217).'),
    createdAt: mongoDate('When the portfolio was created (UTC).'),
    updatedAt: mongoDate('When the portfolio last changed (UTC); the incremental watermark.'),
  },
  primaryKey: ['id'],
  cursor: 'updated_at',
  // Versions are appended by change date, so a run only ever writes to recent partitions.
  partitionBy: 'updated_at',
  invariants: [
    {
      name: 'updated_not_before_created',
      description: 'updatedAt must not be before createdAt',
      require: compare('updated_at', '>=', { column: 'created_at' }),
    },
  ],
  freshness: { warnAfterHours: 12, errorAfterHours: 36 },
});
