import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { motoEndpoint, mongoUri } from '@finks/dev-services';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BSON, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLake } from '../src/lake/lake-target';
import type { S3LakeStore } from '../src/lake/s3-lake-store';
import { databaseSource, snapshotFileSource } from '../src/mongodb/document-source';
import { runMongodb } from '../src/mongodb/run-mongodb';
import { createLogger } from '../src/observability/logger';
import { Metrics } from '../src/observability/metrics';
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

    // A change and a new document: exactly those two arrive (stamped before the settle lag).
    const db = client.db(database);
    const touched = seeded.transactions[3]?._id;
    if (touched === undefined) throw new Error('seed has no fourth transaction');
    const settled = new Date(Date.now() - 5 * 60_000);
    await db
      .collection('transactions')
      .updateOne({ _id: touched }, { $set: { updatedAt: settled, amount: 300 } });
    await db.collection('transactions').insertOne({
      ...seeded.transactions[0],
      _id: undefined,
      updatedAt: settled,
    } as never);
    const [, changed] = await run();
    expect(changed?.read).toBe(2);
    const all = await records(lake, 'mongodb', 'transactions');
    expect(all).toHaveLength(39);
    await db.dropDatabase();
  });

  it('commits a collection over the error budget on the last attempt of its plan, and only then', async () => {
    const database = databaseName('ingest_budget');
    await seedPortfolioDatabase(mongoUri(), database, {
      portfolios: 5,
      transactions: 0,
      invalid: 2,
    });
    const { lake } = await tempLake();
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    const metrics = new Metrics('mongodb');
    const run = () =>
      runMongodb({
        lake,
        source: databaseSource(client, database),
        collections: ['portfolios'],
        errorBudget: 0.05,
        maxPlanAttempts: 2,
        logger,
        metrics,
      });

    await expect(run()).rejects.toMatchObject({
      code: 'error_budget',
      message: expect.stringContaining(
        'The next run repeats this plan as attempt 2 of 2, the last, which commits it anyway',
      ),
    });
    expect(await records(lake, 'mongodb', 'portfolios')).toEqual([]);
    const [committed] = await run();
    expect(committed).toMatchObject({ read: 5, valid: 3, quarantined: 2 });
    expect(await records(lake, 'mongodb', 'portfolios')).toHaveLength(3);
    expect(await records(lake, 'mongodb', 'portfolios', 'quarantine')).toHaveLength(2);
    expect(metrics.get('ErrorBudgetExceeded', 'portfolios')).toBe(1);
    expect(lines.some((line) => line.includes('committed over the error budget'))).toBe(true);
    // The watermark moved past the quarantined documents: the next run plans anew, reads nothing.
    const [next] = await run();
    expect(next?.read).toBe(0);
    await client.db(database).dropDatabase();
  });

  it('still reads a write that became visible after a run, when its stamp is within the settle lag', async () => {
    const database = databaseName('ingest_settle');
    const started = Date.now();
    const seeded = await seedPortfolioDatabase(mongoUri(), database, {
      portfolios: 1,
      transactions: 1,
      start: new Date(started - 5 * 60_000),
    });
    const transactions = client.db(database).collection('transactions');
    const stampedAt = (ms: number) =>
      ({ ...seeded.transactions[0], _id: undefined, updatedAt: new Date(ms) }) as never;
    // Visible before the first run, stamped 10 s before it: inside the default 60 s lag.
    await transactions.insertOne(stampedAt(started - 10_000));
    const { lake } = await tempLake();
    const run = (at: number) =>
      runMongodb({
        lake,
        source: databaseSource(client, database),
        collections: ['transactions'],
        now: () => new Date(at),
      });

    const [first] = await run(started);
    expect(first?.read).toBe(1);
    // Stamped 30 s before the first run but committed after it (a long transaction): read
    // without it, the first run's watermark would already be past it and it would be lost.
    await transactions.insertOne(stampedAt(started - 30_000));
    const [second] = await run(started + 2 * 60_000);
    expect(second?.read).toBe(2);
    expect(new Set(keysOf(await records(lake, 'mongodb', 'transactions'), ['_id'])).size).toBe(3);
    await client.db(database).dropDatabase();
  });

  it('refuses a negative settle lag', async () => {
    const { lake } = await tempLake();
    await expect(
      runMongodb({
        lake,
        source: databaseSource(client, 'unused'),
        collections: ['transactions'],
        settleMs: -1,
      }),
    ).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('--settle-seconds'),
    });
  });

  it('lands documents whose updatedAt is not a date on a read from the start, and warns of them otherwise', async () => {
    const database = databaseName('ingest_undated');
    const seeded = await seedPortfolioDatabase(mongoUri(), database, {
      portfolios: 3,
      transactions: 0,
    });
    const { updatedAt: _dated, ...undated } = seeded.portfolios[0] ?? {};
    await client
      .db(database)
      .collection('portfolios')
      .insertMany([
        { ...undated, _id: new ObjectId(), updatedAt: '2025-01-01T00:00:00Z' },
        { ...undated, _id: new ObjectId() },
      ]);
    const { lake } = await tempLake();
    const lines: string[] = [];
    const run = (full: boolean) =>
      runMongodb({
        lake,
        source: databaseSource(client, database),
        collections: ['portfolios'],
        errorBudget: 1,
        full,
        logger: createLogger({ write: (line) => lines.push(line) }),
      });

    // The first run reads from the start: the contract takes the ISO string, and quarantines
    // the document without an updatedAt, with the reason.
    const [first] = await run(false);
    expect(first).toMatchObject({ read: 5, valid: 4, quarantined: 1 });
    const stored = await records(lake, 'mongodb', 'portfolios');
    expect(stored.map((row) => (row.payload as { updatedAt: unknown }).updatedAt)).toContain(
      '2025-01-01T00:00:00Z',
    );
    const [quarantined] = await records(lake, 'mongodb', 'portfolios', 'quarantine');
    expect((quarantined as { reasons?: unknown } | undefined)?.reasons).toEqual([
      expect.objectContaining({ path: 'updatedAt' }),
    ]);
    // An incremental run cannot reach them: it says how many and what to do.
    const [incremental] = await run(false);
    expect(incremental?.read).toBe(0);
    const warning = lines
      .map((line) => JSON.parse(line) as { level: string; message: string; undated?: number })
      .find((line) => line.level === 'warn' && line.undated !== undefined);
    expect(warning?.undated).toBe(2);
    expect(warning?.message).toMatch(
      /^2 documents of portfolios have an updatedAt that is not a date.*--full/,
    );
    // --full reads them again.
    const [full] = await run(true);
    expect(full).toMatchObject({ read: 5, valid: 4, quarantined: 1 });
    await client.db(database).dropDatabase();
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
