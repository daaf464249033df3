import { type DatasetContract, mongodbPortfolios, mongodbTransactions } from '@finks/contracts';

/** Collections the connector reads; the contract gives the dataset name and the projection. */
export const MONGODB_COLLECTIONS = {
  portfolios: mongodbPortfolios,
  transactions: mongodbTransactions,
} as const satisfies Record<string, DatasetContract>;

export type MongodbCollection = keyof typeof MONGODB_COLLECTIONS;
export const MONGODB_COLLECTION_NAMES = Object.keys(MONGODB_COLLECTIONS) as MongodbCollection[];

export function isMongodbCollection(value: string): value is MongodbCollection {
  return Object.hasOwn(MONGODB_COLLECTIONS, value);
}

/** Only the contract's fields leave the database (no stray PII such as ownerEmail). */
export function projectionOf(contract: DatasetContract): Record<string, 1> {
  return Object.fromEntries(Object.keys(contract.fields).map((field) => [field, 1]));
}
