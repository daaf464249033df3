import {
  fmpBalanceSheetPayload,
  fmpCashFlowStatementPayload,
  fmpCompanyProfilePayload,
  fmpIncomeStatementPayload,
  fmpQuotePayload,
} from '@finks/contracts/testing';
import { isTradingDay, tradingDays } from './trading-calendar';

// The contracts' own example rows are the templates, so the fake's shapes follow the contracts.
type Row = Record<string, unknown>;

export interface MarketOptions {
  readonly seed?: number;
  readonly symbols?: number;
  /** First day of price history. */
  readonly historyStart?: string;
  /** The market's "today": no bar, statement or article after it. Default: today (UTC). */
  readonly asOf?: string;
}

export interface Split {
  readonly symbol: string;
  readonly date: string;
  readonly ratio: number;
}

/** A deterministic synthetic market: the same seed always serves the same rows. */
export class FakeMarket {
  readonly seed: number;
  readonly symbols: readonly string[];
  readonly historyStart: string;
  readonly asOf: string;
  readonly split: Split;
  private readonly known: Set<string>;

  constructor(options: MarketOptions = {}) {
    this.seed = options.seed ?? 42;
    this.historyStart = options.historyStart ?? '2018-01-02';
    this.asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
    this.symbols = tickers(options.symbols ?? 20, this.seed);
    this.known = new Set(this.symbols);
    // One split in the whole market: 4-for-1 on the first symbol, midway through the history.
    const days = tradingDays(this.historyStart, this.asOf);
    this.split = {
      symbol: this.symbols[0] ?? 'AAAA',
      date: days[Math.floor(days.length / 2)] ?? this.asOf,
      ratio: 4,
    };
  }

  has(symbol: string): boolean {
    return this.known.has(symbol);
  }

  /** Split-adjusted daily bars (as FMP's `full`), newest first. */
  eod(symbol: string, from: string, to: string): Row[] {
    if (!this.has(symbol)) return [];
    const random = rng(this.seed, symbol, 'eod');
    const last = to < this.asOf ? to : this.asOf;
    let previous = 20 + random() * 280;
    const rows: Row[] = [];
    const splitFactor = symbol === this.split.symbol ? this.split.ratio : 1;
    for (const date of tradingDays(this.historyStart, last)) {
      const z = gaussian(random);
      const close = Math.max(0.5, previous * Math.exp(0.0002 + 0.018 * z));
      const open = previous * (1 + 0.004 * gaussian(random));
      const high = Math.max(open, close) * (1 + 0.01 * random());
      const low = Math.min(open, close) * (1 - 0.01 * random());
      const volume = Math.floor(1e5 + random() * 5e6);
      if (date >= from) {
        const adjust = date < this.split.date ? splitFactor : 1;
        const c = round(close / adjust);
        const p = round(previous / adjust);
        rows.push({
          symbol,
          date,
          open: round(open / adjust),
          high: round(high / adjust),
          low: round(low / adjust),
          close: c,
          volume: volume * adjust,
          change: round(c - p),
          changePercent: round(((c - p) / p) * 100, 4),
          vwap: round((high + low + close) / 3 / adjust, 4),
        });
      }
      previous = close;
    }
    return rows.reverse();
  }

  quote(symbol: string): Row | undefined {
    if (!this.has(symbol)) return undefined;
    const [latest, before] = this.eod(symbol, shiftDays(this.asOf, -10), this.asOf);
    const template = fmpQuotePayload[0] as Row;
    const price = (latest?.['close'] as number | undefined) ?? 10;
    return {
      ...template,
      symbol,
      name: `${symbol} Holdings Inc.`,
      price,
      change: latest?.['change'] ?? null,
      changePercentage: latest?.['changePercent'] ?? null,
      volume: latest?.['volume'] ?? 0,
      dayLow: latest?.['low'] ?? null,
      dayHigh: latest?.['high'] ?? null,
      open: latest?.['open'] ?? null,
      previousClose: before?.['close'] ?? null,
      yearHigh: round(price * 1.3),
      yearLow: round(price * 0.7),
      marketCap: Math.round(price * 1e9),
      timestamp: Math.floor(Date.parse(`${this.asOf}T21:00:00Z`) / 1000),
    };
  }

  profile(symbol: string): Row | undefined {
    if (!this.has(symbol)) return undefined;
    const template = fmpCompanyProfilePayload[0] as Row;
    const random = rng(this.seed, symbol, 'profile');
    return {
      ...template,
      symbol,
      companyName: `${symbol} Holdings Inc.`,
      price: this.quote(symbol)?.['price'] ?? 10,
      fullTimeEmployees: String(Math.floor(100 + random() * 100_000)),
      website: `https://${symbol.toLowerCase()}.example.com`,
      image: `https://images.example.com/${symbol}.png`,
      cik: String(Math.floor(random() * 1e9)).padStart(10, '0'),
    };
  }

  statements(
    kind: 'income' | 'balance' | 'cash-flow',
    symbol: string,
    period: string,
    limit: number,
  ): Row[] {
    if (!this.has(symbol)) return [];
    const template = (
      kind === 'income'
        ? fmpIncomeStatementPayload[0]
        : kind === 'balance'
          ? fmpBalanceSheetPayload[0]
          : fmpCashFlowStatementPayload[0]
    ) as Row;
    const random = rng(this.seed, symbol, `${kind}:${period}`);
    const scale = 0.01 + random();
    const rows: Row[] = [];
    const year = Number(this.asOf.slice(0, 4));
    const quarterly = period === 'quarter' || /^Q[1-4]$/.test(period);
    for (let i = 0; i < limit; i++) {
      let date: string;
      let fiscalPeriod: string;
      let fiscalYear: number;
      if (quarterly) {
        const index = year * 4 - 1 - i;
        fiscalYear = Math.floor(index / 4);
        const quarter = (index % 4) + 1;
        fiscalPeriod = `Q${quarter}`;
        date = new Date(Date.UTC(fiscalYear, quarter * 3, 0)).toISOString().slice(0, 10);
      } else {
        fiscalYear = year - 1 - i;
        fiscalPeriod = 'FY';
        date = `${fiscalYear}-12-31`;
      }
      if (date < this.historyStart.slice(0, 4) + '-01-01') break;
      const filed = shiftDays(date, 40);
      if (filed > this.asOf) continue;
      const row: Row = {};
      for (const [field, value] of Object.entries(template)) {
        row[field] =
          typeof value === 'number' ? Math.round(value * scale * (0.9 + 0.2 * random())) : value;
      }
      rows.push({
        ...row,
        symbol,
        date,
        filingDate: filed,
        acceptedDate: `${filed} 16:05:00`,
        fiscalYear: String(fiscalYear),
        period: fiscalPeriod,
        reportedCurrency: 'USD',
      });
    }
    return rows;
  }

  /** Articles about one symbol between two days, newest first. */
  news(symbol: string, from: string, to: string): Row[] {
    if (!this.has(symbol)) return [];
    const last = to < this.asOf ? to : this.asOf;
    const rows: Row[] = [];
    const day = new Date(`${from < this.historyStart ? this.historyStart : from}T00:00:00Z`);
    const end = new Date(`${last}T00:00:00Z`);
    while (day <= end) {
      const date = day.toISOString().slice(0, 10);
      const random = rng(this.seed, symbol, `news:${date}`);
      if (isTradingDay(date) && random() < 0.5) {
        const minute = Math.floor(random() * 600);
        const time = `${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
        rows.push(article(symbol, `${date} ${time}`, `${symbol.toLowerCase()}-${date}`));
      }
      day.setUTCDate(day.getUTCDate() + 1);
    }
    return rows.reverse();
  }

  /**
   * The latest-news feed: article n is published at epoch + n·interval, so new ones appear while
   * a stream polls. Page 0 holds the newest.
   */
  latestNews(
    nowMs: number,
    epochMs: number,
    intervalMs: number,
    page: number,
    limit: number,
  ): Row[] {
    const newest = Math.floor((nowMs - epochMs) / intervalMs);
    const rows: Row[] = [];
    for (let i = page * limit; i < (page + 1) * limit; i++) {
      const n = newest - i;
      if (n < 0) break;
      rows.push(this.latestArticle(n, epochMs, intervalMs));
    }
    return rows;
  }

  latestArticle(n: number, epochMs: number, intervalMs: number): Row {
    const symbol = this.symbols[n % this.symbols.length] ?? 'AAAA';
    const published = new Date(epochMs + n * intervalMs)
      .toISOString()
      .replace('T', ' ')
      .slice(0, 19);
    return article(symbol, published, `live-${n}`);
  }
}

function article(symbol: string, publishedDate: string, slug: string): Row {
  return {
    symbol,
    publishedDate,
    publisher: 'Fake Wire',
    title: `${symbol}: market update ${slug}`,
    image: null,
    site: 'news.example.com',
    text: `Synthetic article about ${symbol}.`,
    url: `https://news.example.com/${slug}`,
  };
}

/** Four-letter tickers, distinct, in a seeded order. */
function tickers(count: number, seed: number): string[] {
  const random = rng(seed, 'tickers', '');
  const seen = new Set<string>();
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  while (seen.size < count) {
    let symbol = '';
    for (let i = 0; i < 4; i++) symbol += letters[Math.floor(random() * 26)];
    seen.add(symbol);
  }
  return [...seen];
}

/** mulberry32 seeded from the market seed and a label. */
export function rng(seed: number, ...labels: string[]): () => number {
  let state = seed >>> 0;
  for (const char of labels.join('|'))
    state = Math.imul(state ^ char.charCodeAt(0), 0x9e3779b1) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function shiftDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}
