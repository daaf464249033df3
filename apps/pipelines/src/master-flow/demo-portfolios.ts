// Demo portfolios for the local run: a deterministic history of deposits, trades, fees and a
// withdrawal, priced at the market's own closes so the gold marts value them consistently.
// Money is stored as doubles: FerretDB v1 (the local MongoDB) cannot store Decimal128.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BSON, MongoClient, ObjectId } from 'mongodb';

export interface DailyClose {
  readonly date: string;
  readonly close: number;
}

export interface DemoPortfolio {
  readonly _id: ObjectId;
  readonly name: string;
  readonly baseCurrency: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DemoTransaction {
  readonly _id: ObjectId;
  readonly portfolioId: ObjectId;
  readonly type: 'deposit' | 'withdrawal' | 'buy' | 'sell' | 'fee';
  readonly symbol: string | null;
  readonly quantity: number | null;
  readonly price: number | null;
  readonly amount: number;
  readonly ts: Date;
  readonly updatedAt: Date;
}

export interface DemoData {
  readonly portfolios: readonly DemoPortfolio[];
  readonly transactions: readonly DemoTransaction[];
}

const PORTFOLIO_NAMES = ['Growth', 'Balanced', 'Income', 'Momentum', 'Value'];
const FEE = 4.95;

function objectId(kind: number, index: number): ObjectId {
  return new ObjectId(
    `${kind.toString(16).padStart(8, '0')}${index.toString(16).padStart(16, '0')}`,
  );
}

const at = (date: string, hour: number) =>
  new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * Builds `count` portfolios over the trading days both price histories share: a deposit on the
 * first day, equal-weight buys of four symbols, a monthly rotation (sell part of one holding,
 * buy another) with fees, and one withdrawal half-way. Cash never goes negative.
 */
export function buildDemoData(
  closes: ReadonlyMap<string, readonly DailyClose[]>,
  count: number,
): DemoData {
  const symbols = [...closes.keys()].sort();
  if (symbols.length < 2) throw new Error('demo portfolios need prices for at least two symbols');
  const priceOn = new Map(
    symbols.map((s) => [s, new Map((closes.get(s) ?? []).map((d) => [d.date, d.close]))]),
  );
  const days = [...(priceOn.get(symbols[0] ?? '')?.keys() ?? [])]
    .filter((day) => symbols.every((s) => priceOn.get(s)?.has(day)))
    .sort();
  if (days.length < 30) throw new Error(`only ${days.length} common trading days; need 30`);

  const portfolios: DemoPortfolio[] = [];
  const transactions: DemoTransaction[] = [];
  let txIndex = 0;
  for (let p = 0; p < count; p += 1) {
    const start = days[Math.min(p * 5, days.length - 30)] ?? '';
    const portfolio: DemoPortfolio = {
      _id: objectId(1, p + 1),
      name: `${PORTFOLIO_NAMES[p % PORTFOLIO_NAMES.length]} ${p + 1}`,
      baseCurrency: 'USD',
      createdAt: at(start, 13),
      updatedAt: at(start, 13),
    };
    portfolios.push(portfolio);
    const holdings = new Map<string, number>();
    let cash = 0;
    const record = (
      day: string,
      hour: number,
      type: DemoTransaction['type'],
      amount: number,
      symbol: string | null = null,
      quantity: number | null = null,
      price: number | null = null,
    ) => {
      txIndex += 1;
      const ts = at(day, hour);
      transactions.push({
        _id: objectId(2, txIndex),
        portfolioId: portfolio._id,
        type,
        symbol,
        quantity,
        price,
        amount: cents(amount),
        ts,
        updatedAt: ts,
      });
    };
    const trade = (
      day: string,
      hour: number,
      side: 'buy' | 'sell',
      symbol: string,
      qty: number,
    ) => {
      if (!Number.isFinite(qty) || qty < 1) return;
      const price = priceOn.get(symbol)?.get(day) ?? 0;
      const value = cents(qty * price);
      record(day, hour, side, value, symbol, qty, price);
      record(day, hour, 'fee', FEE);
      cash += side === 'buy' ? -value - FEE : value - FEE;
      holdings.set(symbol, (holdings.get(symbol) ?? 0) + (side === 'buy' ? qty : -qty));
    };

    const deposit = 100_000 * (p + 1);
    record(start, 14, 'deposit', deposit);
    cash += deposit;
    const picks = [0, 1, 2, 3].map((i) => symbols[(p + i) % symbols.length] ?? '');
    for (const symbol of new Set(picks)) {
      const price = priceOn.get(symbol)?.get(start) ?? 1;
      trade(start, 15, 'buy', symbol, Math.floor((deposit * 0.22) / price));
    }

    const startIndex = days.indexOf(start);
    const half = startIndex + Math.floor((days.length - startIndex) / 2);
    for (let i = startIndex + 21, month = 0; i < days.length; i += 21, month += 1) {
      const day = days[i] ?? '';
      const held = [...holdings]
        .filter(([, qty]) => qty > 1)
        .map(([s]) => s)
        .sort();
      const seller = held[month % held.length];
      if (seller) trade(day, 15, 'sell', seller, Math.floor((holdings.get(seller) ?? 0) / 4));
      const buyer = symbols[(p + month + 4) % symbols.length] ?? '';
      const price = priceOn.get(buyer)?.get(day) ?? 0;
      const budget = cash * 0.5;
      if (price > 0 && budget > price + FEE)
        trade(day, 16, 'buy', buyer, Math.floor(budget / price));
      if (i >= half && i - 21 < half && cash > 2_000) {
        record(day, 17, 'withdrawal', cents(cash * 0.25));
        cash -= cents(cash * 0.25);
      }
    }
  }
  return { portfolios, transactions };
}

/**
 * Writes the demo data into `database`: documents that are new or changed are (re)written with
 * `updatedAt` set to now, so the connector's (updatedAt, _id) watermark picks them up; unchanged
 * ones are left alone, so a rerun ingests nothing new. One document at a time: FerretDB v1 was
 * seen to stall on unordered bulk replaces of existing documents.
 */
export async function loadDemoData(uri: string, database: string, data: DemoData): Promise<number> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  const now = new Date();
  let written = 0;
  try {
    await client.connect();
    const db = client.db(database);
    for (const [name, documents] of [
      ['portfolios', data.portfolios],
      ['transactions', data.transactions],
    ] as const) {
      const collection = db.collection(name);
      const existing = new Map<string, string>();
      for await (const doc of collection.find({})) {
        existing.set(String(doc['_id']), comparable(doc));
      }
      const changed = documents.filter((doc) => existing.get(String(doc._id)) !== comparable(doc));
      for (const doc of changed) {
        if (existing.has(String(doc._id))) await collection.deleteOne({ _id: doc._id });
        await collection.insertOne({ ...doc, updatedAt: now });
        written += 1;
      }
    }
    return written;
  } finally {
    await client.close();
  }
}

/** A document's content without its updatedAt, for change detection. */
function comparable(doc: object): string {
  const { updatedAt: _updatedAt, ...rest } = doc as Record<string, unknown>;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

/**
 * The same demo data as an Extended JSON snapshot (`{ portfolios: [...], transactions: [...] }`)
 * for the mongodb connector's --snapshot-file: what the local run ingests when no MongoDB is
 * reachable. Canonical EJSON keeps the ObjectIds and dates.
 */
export async function writeDemoSnapshot(file: string, data: DemoData): Promise<void> {
  const now = new Date();
  const stamp = <T extends object>(docs: readonly T[]) =>
    docs.map((doc) => ({ ...doc, updatedAt: now }));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(
    file,
    BSON.EJSON.stringify(
      { portfolios: stamp(data.portfolios), transactions: stamp(data.transactions) },
      { relaxed: false },
    ),
  );
}

/** Whether a MongoDB answers a ping at `uri` within `timeoutMs`. */
export async function mongoReachable(uri: string, timeoutMs = 3_000): Promise<boolean> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}
