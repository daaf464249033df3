import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeMarket, type MarketOptions } from './market';

/** Fault switches; counts are "the next N requests" (control requests excluded). */
export interface FakeFaults {
  /** Answer 503 to the next N requests. */
  serverErrors?: number;
  /** Answer 429 with FMP's "Limit Reach" body (and Retry-After: 1) to the next N requests. */
  rateLimited?: number;
  /** Answer 200 + {"Error Message": "Limit Reach …"} to the next N requests. */
  errorMessage200?: number;
  /** Cut the JSON body of the next N responses in half. */
  truncated?: number;
  /** Never answer the next N requests (the client's timeout must fire). */
  hang?: number;
  /** Delay every response by this many ms. */
  slowMs?: number;
  /** Endpoints answered with 402 plain text (plan-restricted). */
  restrictedEndpoints?: string[];
  /** Symbols answered with 402 plain text on every endpoint (e.g. an exchange outside the plan). */
  restrictedSymbols?: string[];
  /** Symbols whose EOD responses carry four contract-breaking rows. */
  badRecordSymbols?: string[];
  /** While set, every latest-news article is served without its title (a contract break). */
  untitledLatestNews?: boolean;
  /**
   * While set, each stock-news article is listed with a twin of the same second under another
   * URL: what FMP does when it adds an article of a second a client has already read. `untitled`
   * twins break the contract (no title).
   */
  lateNewsTwins?: 'valid' | 'untitled';
}

export interface FakeStats {
  requests: number;
  rateLimited: number;
  faultsServed: number;
  /** Distinct rows served in successful responses, per endpoint. */
  rows: Record<string, number>;
  /** Distinct contract-breaking rows served. */
  badRows: number;
}

export interface FakeFmpOptions extends MarketOptions {
  readonly port?: number;
  readonly host?: string;
  /** The key requests must carry; others get 401. */
  readonly apiKey?: string;
  /** Enforced with a token bucket; 429 with FMP's body beyond it. Null: no limit. */
  readonly callsPerMinute?: number | null;
  readonly faults?: FakeFaults;
  /** Count distinct rows (tests); off for benchmarks to keep memory flat. */
  readonly trackRows?: boolean;
  /** Latest-news feed: one new article every this many ms. */
  readonly latestNewsIntervalMs?: number;
}

export interface FakeFmp {
  readonly market: FakeMarket;
  /** `http://127.0.0.1:PORT/stable`, what FMP_BASE_URL should be. */
  readonly baseUrl: string;
  readonly port: number;
  readonly stats: FakeStats;
  faults: FakeFaults;
  readonly newsEpochMs: number;
  readonly newsIntervalMs: number;
  close(): Promise<void>;
}

export const LIMIT_REACH =
  'Limit Reach . Please upgrade your plan or visit our documentation for more details at https://site.financialmodelingprep.com/developer/docs/pricing ';
const INVALID_KEY =
  'Invalid API KEY. Feel free to create a Free API Key or visit https://site.financialmodelingprep.com/faqs?search=why-is-my-api-key-invalid for more information.';
const LEGACY =
  'Legacy Endpoint : Due to Legacy endpoints being no longer supported - This endpoint is only available for legacy users who have valid subscriptions prior August 31, 2025.';
const RESTRICTED =
  'Restricted Endpoint: This endpoint is not available under your current subscription please visit our subscription page to upgrade your plan at https://site.financialmodelingprep.com/developer/docs/pricing';

export async function startFakeFmp(options: FakeFmpOptions = {}): Promise<FakeFmp> {
  const market = new FakeMarket(options);
  const stats: FakeStats = { requests: 0, rateLimited: 0, faultsServed: 0, rows: {}, badRows: 0 };
  const seen = new Set<string>();
  const perMinute = options.callsPerMinute ?? null;
  const capacity = perMinute === null ? 0 : Math.max(2, perMinute / 60);
  let tokens = capacity;
  let last = Date.now();
  const hanging = new Set<ServerResponse>();
  const newsEpochMs = Date.now() - 60_000;
  const newsIntervalMs = options.latestNewsIntervalMs ?? 1000;

  const fake: FakeFmp = {
    market,
    baseUrl: '',
    port: 0,
    stats,
    faults: { ...options.faults },
    newsEpochMs,
    newsIntervalMs,
    close: async () => undefined,
  };

  const take = (
    name: 'serverErrors' | 'rateLimited' | 'errorMessage200' | 'truncated' | 'hang',
  ) => {
    const left = fake.faults[name] ?? 0;
    if (left <= 0) return false;
    fake.faults[name] = left - 1;
    stats.faultsServed++;
    return true;
  };

  const count = (endpoint: string, rows: Record<string, unknown>[], bad: Set<number>) => {
    if (options.trackRows === false) return;
    rows.forEach((row, index) => {
      const id = `${endpoint}|${String(row['symbol'])}|${String(row['date'] ?? row['url'] ?? row['period'] ?? '')}|${String(row['period'] ?? '')}|${index}`;
      const identity = bad.has(index) ? `bad|${id}` : id.replace(/\|\d+$/, '');
      if (seen.has(identity)) return;
      seen.add(identity);
      stats.rows[endpoint] = (stats.rows[endpoint] ?? 0) + 1;
      if (bad.has(index)) stats.badRows++;
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/__health') return json(200, { ok: true });
    if (url.pathname === '/__stats') return json(200, stats);
    stats.requests++;
    if (options.faults?.slowMs !== undefined || fake.faults.slowMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, fake.faults.slowMs ?? 0));
    }
    if (take('hang')) {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    if (/^\/api\/v\d+\//.test(url.pathname)) return json(403, { 'Error Message': LEGACY });
    if (!url.pathname.startsWith('/stable/')) return json(404, { 'Error Message': 'Not found' });
    if (options.apiKey !== undefined && url.searchParams.get('apikey') !== options.apiKey) {
      return json(401, { 'Error Message': INVALID_KEY });
    }
    if (perMinute !== null) {
      const now = Date.now();
      tokens = Math.min(capacity, tokens + ((now - last) * perMinute) / 60_000);
      last = now;
      if (tokens < 1) {
        stats.rateLimited++;
        return json(429, { 'Error Message': LIMIT_REACH });
      }
      tokens -= 1;
    }
    if (take('rateLimited')) {
      stats.rateLimited++;
      return json(429, { 'Error Message': LIMIT_REACH }, { 'retry-after': '1' });
    }
    if (take('serverErrors')) return json(503, { error: 'Service Unavailable' });
    if (take('errorMessage200')) return json(200, { 'Error Message': LIMIT_REACH });
    const endpoint = url.pathname.slice('/stable/'.length);
    const asked = (url.searchParams.get('symbol') ?? url.searchParams.get('symbols') ?? '').split(
      ',',
    );
    if (
      fake.faults.restrictedEndpoints?.includes(endpoint) ||
      asked.some((symbol) => fake.faults.restrictedSymbols?.includes(symbol))
    ) {
      response.writeHead(402, { 'content-type': 'text/plain' });
      response.end(RESTRICTED);
      return;
    }
    const routed = route(market, endpoint, url.searchParams, newsEpochMs, newsIntervalMs);
    if (routed === undefined) {
      return json(404, { 'Error Message': `Unknown endpoint ${endpoint}` });
    }
    const bad = new Set<number>();
    const twins = endpoint === 'news/stock' ? fake.faults.lateNewsTwins : undefined;
    const rows =
      twins === undefined
        ? routed
        : routed.flatMap((row) => [
            row,
            {
              ...row,
              url: `${String(row['url'])}-late`,
              ...(twins === 'untitled' ? { title: null } : {}),
            },
          ]);
    if (twins === 'untitled') {
      for (let index = 1; index < rows.length; index += 2) bad.add(index);
    }
    if (
      endpoint === 'historical-price-eod/full' &&
      fake.faults.badRecordSymbols?.includes(url.searchParams.get('symbol') ?? '')
    ) {
      breakRows(rows, bad);
    }
    if (endpoint === 'news/stock-latest' && fake.faults.untitledLatestNews === true) {
      rows.forEach((row, index) => {
        rows[index] = { ...row, title: null };
        bad.add(index);
      });
    }
    const body = JSON.stringify(rows);
    if (take('truncated')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    count(endpoint, rows, bad);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: String(error) }));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const port = (server.address() as AddressInfo).port;
  return Object.assign(fake, {
    port,
    baseUrl: `http://127.0.0.1:${port}/stable`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

// A client pages through one query's articles page by page; generating and sorting all of them
// again for every page made paging quadratic. The last few queries' sorted lists are kept.
const NEWS_QUERIES_KEPT = 16;
const newsQueries = new WeakMap<FakeMarket, Map<string, Record<string, unknown>[]>>();

function newsFor(
  market: FakeMarket,
  symbols: readonly string[],
  from: string,
  to: string,
): readonly Record<string, unknown>[] {
  let kept = newsQueries.get(market);
  if (!kept) {
    kept = new Map();
    newsQueries.set(market, kept);
  }
  const key = `${symbols.join(',')}|${from}|${to}`;
  let rows = kept.get(key);
  if (!rows) {
    rows = symbols.flatMap((item) => market.news(item, from, to));
    rows.sort((a, b) => String(b['publishedDate']).localeCompare(String(a['publishedDate'])));
    kept.set(key, rows);
    const oldest = kept.keys().next().value;
    if (kept.size > NEWS_QUERIES_KEPT && oldest !== undefined) kept.delete(oldest);
  }
  return rows;
}

function route(
  market: FakeMarket,
  endpoint: string,
  params: URLSearchParams,
  newsEpochMs: number,
  newsIntervalMs: number,
): Record<string, unknown>[] | undefined {
  const symbol = params.get('symbol') ?? '';
  const list = (params.get('symbols') ?? '').split(',').filter(Boolean);
  const from = params.get('from') ?? market.historyStart;
  const to = params.get('to') ?? market.asOf;
  const limit = Number(params.get('limit') ?? '') || undefined;
  const page = Number(params.get('page') ?? '0');
  switch (endpoint) {
    case 'quote':
      return [market.quote(symbol)].filter((row) => row !== undefined);
    case 'batch-quote':
      return list.map((item) => market.quote(item)).filter((row) => row !== undefined);
    case 'historical-price-eod/full':
      return market.eod(symbol, from, to);
    case 'historical-price-eod/non-split-adjusted':
      return market.rawEod(symbol, from, to);
    case 'splits':
      return market.splits(symbol).slice(0, limit);
    case 'profile':
      return [market.profile(symbol)].filter((row) => row !== undefined);
    case 'income-statement':
      return market.statements('income', symbol, params.get('period') ?? 'annual', limit ?? 5);
    case 'balance-sheet-statement':
      return market.statements('balance', symbol, params.get('period') ?? 'annual', limit ?? 5);
    case 'cash-flow-statement':
      return market.statements('cash-flow', symbol, params.get('period') ?? 'annual', limit ?? 5);
    case 'news/stock': {
      const size = limit ?? 20;
      // Copies: a caller may alter the rows it gets (fault injection), not the kept list.
      return newsFor(market, list, from, to)
        .slice(page * size, (page + 1) * size)
        .map((row) => ({ ...row }));
    }
    case 'news/stock-latest':
      return market.latestNews(Date.now(), newsEpochMs, newsIntervalMs, page, limit ?? 20);
    default:
      return undefined;
  }
}

/** The four ways the issue lists: null, number as string, negative volume, high < low. */
function breakRows(rows: Record<string, unknown>[], bad: Set<number>): void {
  const breakers = [
    (row: Record<string, unknown>) => ({ ...row, close: null }),
    (row: Record<string, unknown>) => ({ ...row, open: String(row['open']) }),
    (row: Record<string, unknown>) => ({ ...row, volume: -Math.abs(Number(row['volume']) || 1) }),
    (row: Record<string, unknown>) => ({ ...row, high: Number(row['low']) - 1 }),
  ];
  breakers.forEach((broken, index) => {
    const row = rows[index];
    if (row !== undefined) {
      rows[index] = broken(row);
      bad.add(index);
    }
  });
}
