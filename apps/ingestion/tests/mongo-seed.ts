import { MongoClient, ObjectId } from 'mongodb';

/** Portfolios and transactions; several share one updatedAt so the _id tie-break matters. */
export async function seedPortfolioDatabase(
  uri: string,
  database: string,
  options: { portfolios: number; transactions: number; invalid?: number; start?: Date },
) {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const db = client.db(database);
    const start = options.start ?? new Date('2025-01-01T00:00:00Z');
    const portfolios = Array.from({ length: options.portfolios }, (_, index) => ({
      _id: new ObjectId(),
      name: `Portfolio ${index}`,
      baseCurrency: index < (options.invalid ?? 0) ? 'cad' : 'CAD',
      createdAt: start,
      updatedAt: new Date(start.getTime() + Math.floor(index / 3) * 60_000),
      ownerEmail: `owner${index}@example.com`,
    }));
    const transactions = Array.from({ length: options.transactions }, (_, index) => ({
      _id: new ObjectId(),
      portfolioId: portfolios[index % portfolios.length]?._id ?? new ObjectId(),
      type: 'buy',
      symbol: 'SHOP.TO',
      // FerretDB v1 cannot store Decimal128 (it drops the connection), so money is a double here.
      quantity: 2.5,
      price: 101.25,
      amount: 253.125,
      ts: new Date(start.getTime() + index * 1000),
      updatedAt: new Date(start.getTime() + Math.floor(index / 5) * 1000),
    }));
    if (portfolios.length > 0) await db.collection('portfolios').insertMany(portfolios);
    if (transactions.length > 0) await db.collection('transactions').insertMany(transactions);
    return { portfolios, transactions };
  } finally {
    await client.close();
  }
}

export function databaseName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}
