// Demo portfolios for the local run: a deterministic history of deposits, trades, fees and a
// withdrawal, priced at the market's own closes so the gold marts value them consistently.
// Money is stored as doubles: FerretDB v1 (the local MongoDB) cannot store Decimal128.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BSON, MongoClient, ObjectId } from 'mongodb';

export interface DailyClose {
  readonly date: string;
  /** Split-adjusted to today's share basis, as FMP's `historical-price-eod/full` serves it. */
  readonly close: number;
  /**
   * The product of the ratios of the symbol's splits after this day (1, or absent, when none):
   * the actual price that day was close × splitFactor.
   */
  readonly splitFactor?: number;
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
/** Four decimals: drops float noise (31.88 × 4) and keeps any exchange tick. */
const actualPrice = (value: number) => Math.round(value * 10_000) / 10_000;

/** Trading days between a portfolio's monthly trades. */
const MONTH = 21;
/** Symbols each portfolio buys on its first day. */
const FIRST_PICKS = 4;

/**
 * The symbols `buildDemoData(closes, count)` can trade when the closes span `tradingDays` days:
 * the first `count + FIRST_PICKS + ⌈tradingDays / MONTH⌉` of the sorted universe. Portfolio p
 * buys symbols p … p + 3 on its first day and symbol p + month + 4 in each later month, so no
 * index beyond that is ever read. With closes for these alone it builds the same portfolios
 * when the other symbols trade on the same days (the fake market's do); otherwise the days they
 * lack no longer drop out. A large universe needs far fewer histories (the bench's 500: 174).
 */
export function demoSymbols(
  universe: readonly string[],
  count: number,
  tradingDays: number,
): string[] {
  return [...universe].sort().slice(0, count + FIRST_PICKS + Math.ceil(tradingDays / MONTH));
}

/**
 * Builds `count` portfolios over the trading days both price histories share: a deposit on the
 * first day, equal-weight buys of four symbols, a monthly rotation (sell part of one holding,
 * buy another) with fees, and one withdrawal half-way. Cash never goes negative. Trades are
 * recorded as real ones: whole actual shares at the actual price (the adjusted close × the
 * day's split factor), as a broker would report them before a later split; holdings are
 * tracked in today's share basis, like the closes.
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
  const factorOn = new Map(
    symbols.map((s) => [
      s,
      new Map((closes.get(s) ?? []).map((d) => [d.date, d.splitFactor ?? 1])),
    ]),
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
      // qty is in today's share basis; the trade is in actual shares at the actual price.
      const factor = factorOn.get(symbol)?.get(day) ?? 1;
      const shares = Math.floor(qty / factor);
      if (!Number.isFinite(shares) || shares < 1) return;
      const price = actualPrice((priceOn.get(symbol)?.get(day) ?? 0) * factor);
      const value = cents(shares * price);
      record(day, hour, side, value, symbol, shares, price);
      record(day, hour, 'fee', FEE);
      cash += side === 'buy' ? -value - FEE : value - FEE;
      const held = holdings.get(symbol) ?? 0;
      holdings.set(symbol, held + (side === 'buy' ? shares : -shares) * factor);
    };

    const deposit = 100_000 * (p + 1);
    record(start, 14, 'deposit', deposit);
    cash += deposit;
    const picks = Array.from(
      { length: FIRST_PICKS },
      (_, i) => symbols[(p + i) % symbols.length] ?? '',
    );
    for (const symbol of new Set(picks)) {
      const price = priceOn.get(symbol)?.get(start) ?? 1;
      trade(start, 15, 'buy', symbol, Math.floor((deposit * 0.22) / price));
    }

    const startIndex = days.indexOf(start);
    const half = startIndex + Math.floor((days.length - startIndex) / 2);
    for (let i = startIndex + MONTH, month = 0; i < days.length; i += MONTH, month += 1) {
      const day = days[i] ?? '';
      const held = [...holdings]
        .filter(([, qty]) => qty > 1)
        .map(([s]) => s)
        .sort();
      const seller = held[month % held.length];
      if (seller) trade(day, 15, 'sell', seller, Math.floor((holdings.get(seller) ?? 0) / 4));
      const buyer = symbols[(p + month + FIRST_PICKS) % symbols.length] ?? '';
      const price = priceOn.get(buyer)?.get(day) ?? 0;
      const budget = cash * 0.5;
      if (price > 0 && budget > price + FEE)
        trade(day, 16, 'buy', buyer, Math.floor(budget / price));
      if (i >= half && i - MONTH < half && cash > 2_000) {
        record(day, 17, 'withdrawal', cents(cash * 0.25));
        cash -= cents(cash * 0.25);
      }
    }
  }
  return { portfolios, transactions };
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
