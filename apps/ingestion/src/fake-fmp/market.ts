import {
  fmpBalanceSheetPayload,
  fmpCashFlowStatementPayload,
  fmpCompanyProfilePayload,
  fmpIncomeStatementPayload,
  fmpQuotePayload,
} from '@finks/contracts/testing';
import { tradingDays } from './trading-calendar';

// The contracts' own example rows are the templates, so the fake's shapes follow the contracts.
type Row = Record<string, unknown>;

export interface MarketOptions {
  readonly seed?: number;
  readonly symbols?: number;
  /** First day of price history. */
  readonly historyStart?: string;
  /** The market's "today": no bar, statement or article after it. Default: today (UTC). */
  readonly asOf?: string;
  /** Ex-date of the market's one split; default the middle trading day of the history. */
  readonly splitDate?: string;
  /** New shares per old share of that split, as `splits` lists it; default 4. */
  readonly splitRatio?: number;
  /**
   * New shares per old share as the shares truly split (the raw prices' drop); default
   * `splitRatio`. A market listing a wrong ratio has the two differ: its adjusted bars before the
   * split are the raw ones divided by the listed ratio, as FMP's are until it corrects it.
   */
  readonly sharesRatio?: number;
  /**
   * A later split of the same symbol that `splits` lists ahead of its ex-date while it is after
   * `asOf` (FMP lists announced splits); prices never include it. None by default.
   */
  readonly announcedSplit?: { readonly date: string; readonly ratio: number };
}

export interface Split {
  readonly symbol: string;
  /** Ex-date: the first trading day on the new share basis. */
  readonly date: string;
  /** New shares per old share (numerator; the denominator is 1). */
  readonly ratio: number;
}

/** Daily bar before rounding, on one share basis. */
interface Bar {
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly previous: number;
  readonly volume: number;
}

/** Symbols whose price walk is kept (≈ 250 KB each for ten years of bars). */
const WALKS_KEPT = 64;

/** A deterministic synthetic market: the same seed always serves the same rows. */
export class FakeMarket {
  readonly seed: number;
  readonly symbols: readonly string[];
  readonly historyStart: string;
  readonly asOf: string;
  readonly split: Split;
  private readonly announcedSplit: MarketOptions['announcedSplit'];
  private readonly sharesRatio: number;
  private readonly known: Set<string>;
  // The calendar from historyStart to asOf, computed once: every price path walks it from the
  // start, and recomputing it per request was most of the fake's CPU in the pipelines bench.
  private readonly calendar: readonly string[];
  private readonly calendarDays: ReadonlySet<string>;
  private readonly walks = new Map<string, readonly Bar[]>();

  constructor(options: MarketOptions = {}) {
    this.seed = options.seed ?? 42;
    this.historyStart = options.historyStart ?? '2018-01-02';
    this.asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
    this.symbols = tickers(options.symbols ?? 20, this.seed);
    this.known = new Set(this.symbols);
    // One split in the whole market: 4-for-1 on the first symbol, by default midway through the
    // history (a market whose asOf is before splitDate has not had it yet).
    const days = tradingDays(this.historyStart, this.asOf);
    this.calendar = days;
    this.calendarDays = new Set(days);
    this.announcedSplit = options.announcedSplit;
    this.split = {
      symbol: this.symbols[0] ?? 'AAAA',
      date: options.splitDate ?? days[Math.floor(days.length / 2)] ?? this.asOf,
      ratio: options.splitRatio ?? 4,
    };
    this.sharesRatio = options.sharesRatio ?? this.split.ratio;
  }

  has(symbol: string): boolean {
    return this.known.has(symbol);
  }

  /**
   * FMP's `splits`, newest first: the split once it has taken effect by the market's today, and
   * the announced one while it has not.
   */
  splits(symbol: string): Row[] {
    if (symbol !== this.split.symbol) return [];
    const rows: Row[] = [];
    const announced = this.announcedSplit;
    if (announced !== undefined && announced.date > this.asOf) {
      rows.push({ symbol, date: announced.date, numerator: announced.ratio, denominator: 1 });
    }
    if (this.split.date <= this.asOf) {
      rows.push({ symbol, date: this.split.date, numerator: this.split.ratio, denominator: 1 });
    }
    return rows;
  }

  /**
   * Split-adjusted daily bars (FMP's `full`), newest first: one continuous series in today's
   * share basis, so a split shows no jump; bars before a split that has happened are the raw
   * prices divided by its listed ratio (volumes multiplied by it): a continuous series only when
   * the listed ratio is the true one.
   */
  eod(symbol: string, from: string, to: string): Row[] {
    const splitHappened = symbol === this.split.symbol && this.split.date <= this.asOf;
    return this.bars(
      symbol,
      from,
      to,
      splitHappened ? this.sharesRatio / this.split.ratio : this.sharesRatio,
    );
  }

  /**
   * Actual traded prices (FMP's `non-split-adjusted`), newest first: bars before the split are
   * `ratio` times the adjusted ones, so the series drops by the ratio on the split date.
   */
  rawEod(symbol: string, from: string, to: string): Row[] {
    return this.bars(symbol, from, to, this.sharesRatio);
  }

  /**
   * The symbol's random walk is the price path on the basis after the split; bars dated before
   * the split are multiplied by `preSplitScale` (1: adjusted, ratio: raw).
   */
  private bars(symbol: string, from: string, to: string, preSplitScale: number): Row[] {
    if (!this.has(symbol)) return [];
    const scaleBefore = symbol === this.split.symbol ? preSplitScale : 1;
    const scaleOf = (date: string) => (date < this.split.date ? scaleBefore : 1);
    const rows: Row[] = [];
    let previousRow: { date: string; close: number } | undefined;
    for (const bar of this.path(symbol, to < this.asOf ? to : this.asOf)) {
      const scale = scaleOf(bar.date);
      const close = round(bar.close * scale);
      // Change is measured against the previous bar as served, so a raw series shows the drop.
      const previous = round(previousRow === undefined ? bar.previous * scale : previousRow.close);
      if (bar.date >= from) {
        rows.push({
          symbol,
          date: bar.date,
          open: round(bar.open * scale),
          high: round(bar.high * scale),
          low: round(bar.low * scale),
          close,
          volume: Math.round(bar.volume / scale),
          change: round(close - previous),
          changePercent: round(((close - previous) / previous) * 100, 4),
          vwap: round(((bar.high + bar.low + bar.close) / 3) * scale, 4),
        });
      }
      previousRow = { date: bar.date, close };
    }
    return rows.reverse();
  }

  /**
   * The seeded price path from the history's start to `last`, on the post-split basis. The walk
   * to `asOf` is kept for the last WALKS_KEPT symbols: each one is read several times (its
   * history, its quote's last bars, its profile's quote), and walking it again from the start
   * each time cost ≈ 3 ms per symbol (≈ 1.5 CPU s for the pipelines bench's 500).
   */
  private *path(symbol: string, last: string): Generator<Bar> {
    for (const bar of this.walk(symbol)) {
      if (bar.date > last) return;
      yield bar;
    }
  }

  private walk(symbol: string): readonly Bar[] {
    const kept = this.walks.get(symbol);
    if (kept !== undefined) {
      // Newest used last in the map's order: the first key is the one to drop.
      this.walks.delete(symbol);
      this.walks.set(symbol, kept);
      return kept;
    }
    const bars: Bar[] = [];
    const random = rng(this.seed, symbol, 'eod');
    let previous = 20 + random() * 280;
    for (const date of this.calendar) {
      const z = gaussian(random);
      const close = Math.max(0.5, previous * Math.exp(0.0002 + 0.018 * z));
      const open = previous * (1 + 0.004 * gaussian(random));
      const high = Math.max(open, close) * (1 + 0.01 * random());
      const low = Math.min(open, close) * (1 - 0.01 * random());
      // Shares on the post-split basis: a raw bar before the split divides them by the ratio.
      const volume = Math.floor(1e5 + random() * 5e6);
      bars.push({ date, open, high, low, close, previous, volume });
      previous = close;
    }
    this.walks.set(symbol, bars);
    const oldest = this.walks.keys().next().value;
    if (this.walks.size > WALKS_KEPT && oldest !== undefined) this.walks.delete(oldest);
    return bars;
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
    // Articles appear on trading days only; each day's draw is seeded by the day itself.
    for (const date of this.calendar) {
      if (date < from) continue;
      if (date > last) break;
      const random = rng(this.seed, symbol, `news:${date}`);
      if (random() < 0.5) {
        const minute = Math.floor(random() * 600);
        const time = `${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
        rows.push(article(symbol, `${date} ${time}`, `${symbol.toLowerCase()}-${date}`));
      }
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
