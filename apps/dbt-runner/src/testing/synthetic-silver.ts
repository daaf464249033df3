// Deterministic synthetic silver data matching the contracts' silver columns: prices that move,
// portfolios that deposit, trade, pay fees and withdraw. Tests and the benchmark write it to a
// temporary filesystem lake with writeSyntheticSilver.

export interface SyntheticSilverOptions {
  readonly symbols: number;
  readonly tradingDays: number;
  readonly portfolios: number;
  readonly seed?: number;
  /** First calendar day (a Monday is a good start); weekends are never trading days. */
  readonly startDate?: string;
}

export type SilverRow = Record<string, string | number | boolean | null>;

export interface SyntheticSilver {
  readonly tradingDays: readonly string[];
  readonly symbols: readonly string[];
  /** Rows per `source.dataset`, keyed by contract id. */
  readonly tables: Readonly<Record<string, readonly SilverRow[]>>;
}

/** mulberry32: small, fast and the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

function weekdays(start: string, count: number): string[] {
  const days: string[] = [];
  const cursor = new Date(`${start}T00:00:00Z`);
  while (days.length < count) {
    const weekday = cursor.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

function nextDay(day: string, offset: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}

export function syntheticSilver(options: SyntheticSilverOptions): SyntheticSilver {
  const next = random(options.seed ?? 42);
  const tradingDays = weekdays(options.startDate ?? '2024-01-01', options.tradingDays);
  const symbols = Array.from(
    { length: options.symbols },
    (_, i) => `SYM${String(i).padStart(3, '0')}`,
  );
  const lastDay = tradingDays[tradingDays.length - 1] ?? '2024-01-01';
  const ingestedAt = `${nextDay(lastDay, 1)} 06:00:00`;
  const lineage = { ingested_at: ingestedAt, ingestion_run_id: 'synthetic-run' };

  // Closes on a lognormal walk; a few (symbol, day) rows are missing to exercise
  // "the last close on or before d".
  const closes = new Map<string, Map<string, number>>();
  const eodPrices: SilverRow[] = [];
  for (const symbol of symbols) {
    const series = new Map<string, number>();
    let close = 20 + next() * 180;
    for (const [index, day] of tradingDays.entries()) {
      const open = round(close * (1 + (next() - 0.5) * 0.01), 4);
      close = Math.max(1, close * Math.exp((next() - 0.5) * 0.04 + 0.0003));
      const closePrice = round(close, 4);
      if (index > 0 && next() < 0.01) continue;
      series.set(day, closePrice);
      eodPrices.push({
        symbol,
        trade_date: day,
        open,
        high: round(Math.max(open, closePrice) * (1 + next() * 0.01), 4),
        low: round(Math.min(open, closePrice) * (1 - next() * 0.01), 4),
        close: closePrice,
        volume: Math.floor(next() * 1_000_000),
        change: null,
        change_percent: null,
        vwap: round((open + closePrice) / 2, 4),
        ...lineage,
      });
    }
    closes.set(symbol, series);
  }
  const lastClose = (symbol: string, dayIndex: number): number => {
    const series = closes.get(symbol);
    for (let i = dayIndex; i >= 0; i -= 1) {
      const value = series?.get(tradingDays[i] ?? '');
      if (value !== undefined) return value;
    }
    throw new Error(`no close for ${symbol} on or before day ${dayIndex}`);
  };

  const portfolios: SilverRow[] = [];
  const transactions: SilverRow[] = [];
  for (let p = 0; p < options.portfolios; p += 1) {
    const portfolioId = `pf-${String(p).padStart(3, '0')}`;
    const startIndex = Math.min(p * 7, tradingDays.length - 1);
    const startDay = tradingDays[startIndex] ?? lastDay;
    portfolios.push({
      id: portfolioId,
      name: `Portfolio ${p}`,
      base_currency: 'USD',
      created_at: `${startDay} 09:00:00`,
      updated_at: `${startDay} 09:00:00`,
      ...lineage,
    });
    if (p === 0) {
      // An older version of the same portfolio: staging must keep the latest only.
      portfolios.push({
        id: portfolioId,
        name: `Portfolio ${p} (old name)`,
        base_currency: 'USD',
        created_at: `${startDay} 09:00:00`,
        updated_at: `${startDay} 08:00:00`,
        ...lineage,
      });
    }
    let cash = 0;
    const holdings = new Map<string, number>();
    let sequence = 0;
    const add = (day: string, row: Omit<SilverRow, 'id'>): void => {
      sequence += 1;
      transactions.push({
        id: `${portfolioId}-tx-${String(sequence).padStart(6, '0')}`,
        portfolio_id: portfolioId,
        symbol: null,
        quantity: null,
        price: null,
        transacted_at: `${day} 15:30:00`,
        updated_at: `${day} 15:30:00`,
        ...lineage,
        ...row,
      });
    };
    const deposit = 50_000 + Math.floor(next() * 100_000);
    add(startDay, { transaction_type: 'deposit', amount: deposit });
    cash += deposit;
    for (let d = startIndex; d < tradingDays.length; d += 1) {
      const day = tradingDays[d] ?? lastDay;
      const draw = next();
      if (draw < 0.25) {
        const symbol = symbols[Math.floor(next() * symbols.length)] ?? 'SYM000';
        const price = lastClose(symbol, d);
        const quantity = Math.floor((cash * (0.1 + next() * 0.2)) / price);
        if (quantity > 0) {
          add(day, {
            transaction_type: 'buy',
            symbol,
            quantity,
            price,
            amount: round(quantity * price, 4),
          });
          cash -= quantity * price;
          holdings.set(symbol, (holdings.get(symbol) ?? 0) + quantity);
        }
      } else if (draw < 0.37) {
        const held = [...holdings.entries()].filter(([, quantity]) => quantity > 0);
        const pick = held[Math.floor(next() * held.length)];
        if (pick) {
          const [symbol, owned] = pick;
          const quantity = Math.max(1, Math.floor(owned * next()));
          const price = lastClose(symbol, d);
          add(day, {
            transaction_type: 'sell',
            symbol,
            quantity,
            price,
            amount: round(quantity * price, 4),
          });
          cash += quantity * price;
          holdings.set(symbol, owned - quantity);
        }
      } else if (draw < 0.4) {
        const amount = 1_000 + Math.floor(next() * 20_000);
        // Every other deposit lands on a Saturday: it counts from the next trading day.
        const when =
          next() < 0.5 && d + 1 < tradingDays.length
            ? nextDay(day, 6 - new Date(`${day}T00:00:00Z`).getUTCDay())
            : day;
        add(when, { transaction_type: 'deposit', amount });
        cash += amount;
      } else if (draw < 0.42 && cash > 1_000) {
        const amount = round(cash * 0.1 * next(), 2);
        if (amount > 0) {
          add(day, { transaction_type: 'withdrawal', amount });
          cash -= amount;
        }
      }
      if (draw < 0.37 && next() < 0.5) {
        const amount = round(1 + next() * 9, 2);
        add(day, { transaction_type: 'fee', amount });
        cash -= amount;
      }
    }
  }

  const companyProfiles: SilverRow[] = symbols.map((symbol, i) => ({
    symbol,
    company_name: `Synthetic ${symbol} Inc.`,
    currency: 'USD',
    exchange_code: i % 2 === 0 ? 'NASDAQ' : 'NYSE',
    sector: ['Technology', 'Energy', 'Healthcare'][i % 3] ?? 'Technology',
    industry: 'Synthetic',
    country: 'US',
    beta: round(0.5 + next(), 3),
    market_cap: round(1e9 * (1 + next() * 100), 0),
    is_etf: false,
    is_actively_trading: true,
    is_adr: false,
    is_fund: false,
    ...lineage,
  }));

  const statementRows = (kind: 'income' | 'balance' | 'cash'): SilverRow[] => {
    const rows: SilverRow[] = [];
    const quarterEnds = [
      '2023-03-31',
      '2023-06-30',
      '2023-09-30',
      '2023-12-31',
      '2024-03-31',
      '2024-06-30',
    ];
    for (const symbol of symbols) {
      for (const [q, periodEnd] of quarterEnds.entries()) {
        const revenue = round(1e8 * (1 + next()), 0);
        const netIncome = round(revenue * (0.05 + next() * 0.15), 0);
        const common = {
          symbol,
          period_end_date: periodEnd,
          reported_currency: 'USD',
          fiscal_year: Number(periodEnd.slice(0, 4)),
          fiscal_period: `Q${(q % 4) + 1}`,
          ...lineage,
        };
        if (kind === 'income') {
          rows.push({
            ...common,
            revenue,
            gross_profit: round(revenue * 0.4, 0),
            operating_income: round(revenue * 0.2, 0),
            net_income: netIncome,
            eps: round(netIncome / 1e8, 4),
          });
        } else if (kind === 'balance') {
          rows.push({
            ...common,
            total_assets: round(revenue * 5, 0),
            total_liabilities: round(revenue * 3, 0),
          });
        } else {
          rows.push({
            ...common,
            net_income: netIncome,
            free_cash_flow: round(netIncome * 0.8, 0),
          });
        }
      }
    }
    return rows;
  };

  const quotes: SilverRow[] = symbols.map((symbol) => ({
    symbol,
    price: lastClose(symbol, tradingDays.length - 1),
    volume: 1000,
    quoted_at: `${lastDay} 20:00:00`,
    ...lineage,
  }));
  const news: SilverRow[] = symbols.slice(0, 3).map((symbol, i) => ({
    symbol,
    published_at: `${lastDay} 12:0${i}:00`,
    title: `News about ${symbol}`,
    url: `https://example.com/news/${symbol}`,
    ...lineage,
  }));
  // Splits (issue #4) dated before the first trading day: silver holds the dataset, and no
  // trade precedes them, so positions and marts are the same as without them.
  const splits: SilverRow[] = symbols.slice(0, 1).map((symbol) => ({
    symbol,
    split_date: nextDay(tradingDays[0] ?? '2024-01-01', -7),
    numerator: 2,
    denominator: 1,
    ...lineage,
  }));

  return {
    tradingDays,
    symbols,
    tables: {
      'fmp.eod_prices': eodPrices,
      'fmp.quotes': quotes,
      'fmp.company_profiles': companyProfiles,
      'fmp.income_statements': statementRows('income'),
      'fmp.balance_sheets': statementRows('balance'),
      'fmp.cash_flow_statements': statementRows('cash'),
      'fmp.news': news,
      'fmp.splits': splits,
      'mongodb.portfolios': portfolios,
      'mongodb.transactions': transactions,
    },
  };
}
