// Daily closes from the FMP stable API (or the fake market): the demo portfolios are priced at
// them so their transactions are plausible for the market the run ingests.
import type { DailyClose } from './demo-portfolios';

export async function fetchCloses(
  baseUrl: string,
  apiKey: string,
  symbols: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, DailyClose[]>> {
  const closes = new Map<string, DailyClose[]>();
  for (const symbol of symbols) {
    const url = new URL(`${baseUrl}/historical-price-eod/full`);
    url.search = new URLSearchParams({ symbol, from, to, apikey: apiKey }).toString();
    const response = await fetch(url);
    // The URL carries the key: name the symbol and status only.
    if (!response.ok) throw new Error(`prices for ${symbol}: HTTP ${response.status}`);
    const rows = (await response.json()) as { date: string; close: number }[];
    closes.set(
      symbol,
      rows.map((row) => ({ date: row.date, close: row.close })),
    );
  }
  return closes;
}
