// Daily closes from the FMP stable API (or the fake market): the demo portfolios are priced at
// them so their transactions are plausible for the market the run ingests. With the closes come
// the symbol's splits, so a trade can be recorded as it happened: in actual shares at the actual
// price, while the closes (`full`) are split-adjusted to today's share basis.
import { demoSymbols, type DailyClose } from './demo-portfolios';

/** Symbols priced at once: the fake market and FMP both serve requests in parallel. */
const CONCURRENCY = 8;

interface Split {
  readonly date: string;
  readonly ratio: number;
}

export async function fetchCloses(
  baseUrl: string,
  apiKey: string,
  symbols: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, DailyClose[]>> {
  const get = async <Row>(symbol: string, endpoint: string, params: Record<string, string>) => {
    const url = new URL(`${baseUrl}/${endpoint}`);
    url.search = new URLSearchParams({ symbol, ...params, apikey: apiKey }).toString();
    const response = await fetch(url);
    // The URL carries the key: name the symbol and status only.
    if (!response.ok) throw new Error(`${endpoint} for ${symbol}: HTTP ${response.status}`);
    return (await response.json()) as Row[];
  };
  // FMP lists announced splits ahead of their ex-date; the closes take a split in only from then,
  // so one dated after today is no part of any price yet.
  const fetchedOn = new Date().toISOString().slice(0, 10);
  const priced = await mapLimited(symbols, CONCURRENCY, async (symbol) => {
    const [rows, splitRows] = await Promise.all([
      get<{ date: string; close: number }>(symbol, 'historical-price-eod/full', { from, to }),
      get<{ date: string; numerator: number; denominator: number }>(symbol, 'splits', {}),
    ]);
    const splits: Split[] = splitRows
      .filter((row) => row.date <= fetchedOn)
      .map((row) => ({ date: row.date, ratio: row.numerator / row.denominator }));
    return rows.map((row): DailyClose => ({
      date: row.date,
      close: row.close,
      splitFactor: splitFactor(splits, row.date),
    }));
  });
  return new Map(symbols.map((symbol, index) => [symbol, priced[index] ?? []]));
}

/**
 * The closes `buildDemoData(closes, portfolios)` reads. The first symbol's history comes first:
 * its trading days bound how many months the portfolios trade, hence which symbols they can
 * reach (demoSymbols); only those are fetched next. Pricing all 500 symbols of the bench
 * universe was about a third of the bronze stage's CPU (the fake market serving 1.26 M closes,
 * this process parsing them), for portfolios that trade 174 of them.
 */
export async function fetchDemoCloses(
  baseUrl: string,
  apiKey: string,
  symbols: readonly string[],
  portfolios: number,
  from: string,
  to: string,
): Promise<Map<string, DailyClose[]>> {
  const universe = [...symbols].sort();
  const first = await fetchCloses(baseUrl, apiKey, universe.slice(0, 1), from, to);
  const tradingDays = first.get(universe[0] ?? '')?.length ?? 0;
  const rest = demoSymbols(universe, portfolios, tradingDays).slice(1);
  return new Map([...first, ...(await fetchCloses(baseUrl, apiKey, rest, from, to))]);
}

/**
 * F on `date`: the product of the ratios of the splits after it. The actual price was the
 * adjusted close × F, and an actual share is F shares of today's basis.
 */
export function splitFactor(splits: readonly Split[], date: string): number {
  return splits.filter((split) => split.date > date).reduce((f, split) => f * split.ratio, 1);
}

/** `work` over `items`, at most `limit` at a time, results in input order; the first error wins. */
async function mapLimited<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as Item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
