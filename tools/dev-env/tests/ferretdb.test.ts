import { randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoUri } from '@finks/dev-services';

interface Listing {
  symbol: string;
  exchange: string;
  close: number;
  tags?: string[];
}

describe('MongoDB wire protocol on FerretDB', () => {
  const client = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 5_000 });
  // One database per run: FerretDB keeps one SQLite file per database.
  const db = client.db(`dev_env_${randomUUID().replaceAll('-', '')}`);
  const listings = db.collection<Listing>('listings');

  beforeAll(() => client.connect());

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('answers hello as a MongoDB 7 server', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello['isWritablePrimary']).toBe(true);
    const build = await db.admin().command({ buildInfo: 1 });
    expect(build['version']).toMatch(/^7\./);
  });

  it('inserts, finds, updates and indexes documents', async () => {
    const inserted = await listings.insertMany([
      { symbol: 'AAPL', exchange: 'XNAS', close: 231.5 },
      { symbol: 'MSFT', exchange: 'XNAS', close: 415.2 },
      { symbol: 'SAP', exchange: 'XETR', close: 212.9 },
    ]);
    expect(inserted.insertedCount).toBe(3);

    const nasdaq = await listings
      .find({ exchange: 'XNAS' }, { projection: { _id: 0 } })
      .sort({ close: -1 })
      .toArray();
    expect(nasdaq.map((listing) => listing.symbol)).toEqual(['MSFT', 'AAPL']);

    const updated = await listings.updateOne(
      { symbol: 'SAP' },
      { $set: { close: 215 }, $push: { tags: 'dax' } },
    );
    expect(updated.modifiedCount).toBe(1);
    expect(await listings.findOne({ symbol: 'SAP' }, { projection: { _id: 0 } })).toEqual({
      symbol: 'SAP',
      exchange: 'XETR',
      close: 215,
      tags: ['dax'],
    });

    const indexName = await listings.createIndex({ symbol: 1, exchange: 1 }, { unique: true });
    const indexes = await listings.listIndexes().toArray();
    expect(indexes.map((index) => index.name)).toContain(indexName);

    const duplicate = listings.insertOne({ symbol: 'AAPL', exchange: 'XNAS', close: 1 });
    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });
  });
});
