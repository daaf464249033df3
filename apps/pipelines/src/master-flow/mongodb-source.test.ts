import { mongoUri } from '@finks/dev-services';
import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoData, DemoTransaction } from './demo-portfolios';
import { DEMO_WRITE_BATCH, demoOrphansWarning, loadDemoDocuments } from './mongodb-source';

// A database of its own per run: FerretDB is shared with the other suites.
const database = `finks_demo_load_${Date.now().toString(36)}`;
const client = new MongoClient(mongoUri());

afterAll(async () => {
  await client.db(database).dropDatabase();
  await client.close();
});

function demoData(transactionCount: number): DemoData {
  const portfolioId = new ObjectId('00000001000000000000000a');
  const at = new Date('2024-03-01T15:00:00Z');
  const transactions: DemoTransaction[] = Array.from({ length: transactionCount }, (_, i) => ({
    _id: new ObjectId(`00000002${i.toString(16).padStart(16, '0')}`),
    portfolioId,
    type: i % 2 === 0 ? 'buy' : 'fee',
    symbol: i % 2 === 0 ? 'AAPL' : null,
    quantity: i % 2 === 0 ? 10 : null,
    price: i % 2 === 0 ? 101.25 : null,
    amount: i % 2 === 0 ? 1012.5 : 4.95,
    ts: at,
    updatedAt: at,
  }));
  return {
    portfolios: [
      {
        _id: portfolioId,
        name: 'Growth 1',
        baseCurrency: 'USD',
        createdAt: at,
        updatedAt: at,
      },
    ],
    transactions,
  };
}

const stamps = async (collection: string) =>
  new Map(
    (await client.db(database).collection(collection).find({}).toArray()).map((doc) => [
      String(doc['_id']),
      (doc['updatedAt'] as Date).toISOString(),
    ]),
  );

describe('loadDemoDocuments', () => {
  // More than two batches, so the batch boundaries are crossed.
  const count = DEMO_WRITE_BATCH * 2 + 17;
  const first = new Date('2026-01-05T10:00:00.000Z');

  it('writes every document, in batches, stamped with one updatedAt', async () => {
    const load = await loadDemoDocuments(mongoUri(), database, demoData(count), first);
    expect(load).toEqual({ written: count + 1, orphans: { portfolios: 0, transactions: 0 } });
    const transactions = await stamps('transactions');
    expect(transactions.size).toBe(count);
    expect(new Set(transactions.values())).toEqual(new Set([first.toISOString()]));
    expect((await stamps('portfolios')).size).toBe(1);
  });

  it('writes nothing again for unchanged documents, and keeps their updatedAt', async () => {
    const later = new Date('2026-01-06T10:00:00.000Z');
    expect((await loadDemoDocuments(mongoUri(), database, demoData(count), later)).written).toBe(0);
    expect(new Set((await stamps('transactions')).values())).toEqual(
      new Set([first.toISOString()]),
    );
  });

  it('rewrites changed and new documents only, once each, with the new updatedAt', async () => {
    const later = new Date('2026-01-07T10:00:00.000Z');
    const data = demoData(count + 1);
    const changedIndex = DEMO_WRITE_BATCH + 3;
    const transactions = data.transactions.map((doc, i) =>
      i === changedIndex ? { ...doc, amount: doc.amount + 1 } : doc,
    );
    const load = await loadDemoDocuments(mongoUri(), database, { ...data, transactions }, later);
    expect(load.written).toBe(2);
    const after = await stamps('transactions');
    expect(after.size).toBe(count + 1);
    const rewritten = [...after].filter(([, stamp]) => stamp === later.toISOString());
    expect(rewritten.map(([id]) => id).sort()).toEqual(
      [String(transactions[changedIndex]?._id), String(transactions[count]?._id)].sort(),
    );
    const changed = transactions[changedIndex];
    if (changed === undefined) throw new Error('the changed transaction is missing');
    const stored = await client
      .db(database)
      .collection('transactions')
      .findOne({ _id: changed._id });
    expect(stored?.['amount']).toBe(changed.amount);
  });

  it('counts the documents of an earlier, larger demo, and warns with the reset steps', async () => {
    // The previous test left count + 1 transactions; this demo has 5 fewer.
    const load = await loadDemoDocuments(mongoUri(), database, demoData(count - 4));
    expect(load.orphans).toEqual({ portfolios: 0, transactions: 5 });
    const warning = demoOrphansWarning(database, load);
    expect(warning).toContain(`database ${database} holds 0 portfolios and 5 transactions`);
    expect(warning).toContain('dropDatabase()');
    expect(warning).toContain('delete .finks/lake');
    expect(
      demoOrphansWarning(database, { ...load, orphans: { portfolios: 0, transactions: 0 } }),
    ).toBeNull();
  });
});
