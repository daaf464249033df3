import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { motoEndpoint, mongoUri } from '@finks/dev-services';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BSON, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLake } from '../src/lake/lake-target';
import type { S3LakeStore } from '../src/lake/s3-lake-store';
import { databaseSource, snapshotFileSource } from '../src/mongodb/document-source';
import { runMongodb } from '../src/mongodb/run-mongodb';
import { keysOf, records, tempLake } from './helpers';
import { databaseName, seedPortfolioDatabase } from './mongo-seed';

let client: MongoClient;

beforeAll(async () => {
  client = new MongoClient(mongoUri());
  await client.connect();
});
afterAll(() => client.close());

describe('mongodb connector', () => {
  it('lands both collections with the projection, quarantines bad documents, and picks up only changes', async () => {
    const database = databaseName('ingest_mongo');
    const seeded = await seedPortfolioDatabase(mongoUri(), database, {
      portfolios: 10,
      transactions: 37,
      invalid: 2,
    });
    const { lake } = await tempLake();
    const run = () =>
      runMongodb({
        lake,
        source: databaseSource(client, database),
        collections: ['portfolios', 'transactions'],
        batchSize: 4,
        errorBudget: 0.5,
      });

    const [portfolios, transactions] = await run();
    expect(portfolios).toMatchObject({ read: 10, valid: 8, quarantined: 2 });
    expect(transactions).toMatchObject({ read: 37, valid: 37, quarantined: 0 });
    const stored = await records(lake, 'mongodb', 'portfolios');
    expect(stored).toHaveLength(8);
    // The contract's projection: ownerEmail never leaves the database.
    expect(JSON.stringify(stored)).not.toContain('ownerEmail');
    expect(await records(lake, 'mongodb', 'portfolios', 'quarantine')).toHaveLength(2);

    // Idle collections: a rerun reads nothing and keeps the watermark.
    const [idleP, idleT] = await run();
    expect(idleP?.read).toBe(0);
    expect(idleT?.read).toBe(0);

    // A change and a new document: exactly those two arrive.
    const db = client.db(database);
    const touched = seeded.transactions[3]?._id;
    if (touched === undefined) throw new Error('seed has no fourth transaction');
    await db
      .collection('transactions')
      .updateOne(
        { _id: touched },
        { $set: { updatedAt: new Date(Date.now() - 1000), amount: 300 } },
      );
    await db.collection('transactions').insertOne({
      ...seeded.transactions[0],
      _id: undefined,
      updatedAt: new Date(Date.now() - 1000),
    } as never);
    const [, changed] = await run();
    expect(changed?.read).toBe(2);
    const all = await records(lake, 'mongodb', 'transactions');
    expect(all).toHaveLength(39);
    await db.dropDatabase();
  });

  it('writes into moto S3 too, each document once', async () => {
    const database = databaseName('ingest_mongo_s3');
    await seedPortfolioDatabase(mongoUri(), database, { portfolios: 4, transactions: 12 });
    const accountId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
    const lake = openLake({
      kind: 's3',
      env: 'local',
      accountId,
      region: 'us-east-1',
      endpoint: motoEndpoint(),
    });
    for (const bucket of Object.values(lake.buckets))
      await (lake.store as S3LakeStore).client.send(new CreateBucketCommand({ Bucket: bucket }));
    await runMongodb({
      lake,
      source: databaseSource(client, database),
      collections: ['transactions'],
      batchSize: 5,
    });
    const rows = await records(lake, 'mongodb', 'transactions');
    expect(rows).toHaveLength(12);
    expect(new Set(keysOf(rows, ['_id'])).size).toBe(12);
    await client.db(database).dropDatabase();
  });

  it('reads an Extended JSON snapshot instead of the database: same validation, no watermark moved', async () => {
    const database = databaseName('ingest_snapshot');
    const seeded = await seedPortfolioDatabase(mongoUri(), database, {
      portfolios: 4,
      transactions: 9,
      invalid: 1,
    });
    await client.db(database).dropDatabase();
    const { root, lake } = await tempLake();
    const file = join(root, 'snapshot.json');
    // Canonical EJSON keeps ObjectIds and dates, as the database would hand them over.
    await writeFile(
      file,
      BSON.EJSON.stringify(
        { portfolios: seeded.portfolios, transactions: seeded.transactions },
        { relaxed: false },
      ),
    );
    const run = async () =>
      runMongodb({
        lake,
        source: await snapshotFileSource(file),
        collections: ['portfolios', 'transactions'],
        errorBudget: 0.5,
      });
    const [portfolios, transactions] = await run();
    expect(portfolios).toMatchObject({ read: 4, valid: 3, quarantined: 1 });
    expect(transactions).toMatchObject({ read: 9, valid: 9 });
    const stored = await records(lake, 'mongodb', 'portfolios');
    expect(JSON.stringify(stored)).not.toContain('ownerEmail');
    expect(stored[0]?.endpoint).toMatch(/^collection portfolios \(snapshot .*snapshot\.json\)$/);
    // No watermark: the same snapshot again is read whole again.
    const [again] = await run();
    expect(again?.read).toBe(4);

    await writeFile(file, '{"portfolios": {}}');
    await expect(snapshotFileSource(file)).rejects.toThrow(
      /"portfolios" must be an array of documents/,
    );
    await writeFile(file, '[1, 2]');
    await expect(snapshotFileSource(file)).rejects.toThrow(/expected an object of collections/);
  });
});
