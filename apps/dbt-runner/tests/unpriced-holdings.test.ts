// A real dbt build on a lake whose portfolios hold securities without a close: one outside the
// price universe (XYZ) and one bought before its first close (LATE). The marts must leave those
// days unvalued instead of valuing the holding at 0 (a fake -50 % day), the monthly and VaR
// marts must not count the missing returns as 0 %, and the warning test must name every
// (portfolio, symbol, day).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { localTargetEnvironment } from '../src/dbt/target-environment';
import { EXIT_CODES } from '../src/exit-code';
import type { LocalLake } from '../src/lake/local-lake';
import { runDbt, type DbtRunOutcome } from '../src/runner';
import { syntheticSilver, type SilverRow } from '../src/testing/synthetic-silver';
import { writeSyntheticSilver } from '../src/testing/write-silver';
import { queryDuckdbFile } from './query-duckdb-file';

/** The day LATE's closes start: trading day 10 of the fixture. */
const LATE_FIRST_CLOSE = 10;
const VAR_WINDOW_DAYS = 5;

interface Fixture {
  readonly lake: LocalLake;
  readonly days: readonly string[];
  readonly tables: Record<string, readonly SilverRow[]>;
}

/**
 * Two priced symbols over 45 trading days (January to 1 March 2024), LATE priced from day 10
 * on at 50, and three portfolios: pf-unpriced buys 50 XYZ (never priced) at 100 on day 1 and
 * sells them at 110 on day 5; pf-late buys 10 LATE at 50 on day 3; pf-priced buys SYM000 only.
 */
function unpricedFixture(root: string): Fixture {
  const silver = syntheticSilver({
    symbols: 2,
    tradingDays: 45,
    portfolios: 0,
    seed: 20_240_301,
    startDate: '2024-01-01',
  });
  const days = silver.tradingDays;
  const day = (index: number): string => {
    const found = days[index];
    if (found === undefined) throw new Error(`the fixture has no trading day ${index}`);
    return found;
  };
  const prices = silver.tables['fmp.eod_prices'] ?? [];
  const first = prices.find((row) => row['symbol'] === 'SYM000' && row['trade_date'] === day(0));
  if (!first) throw new Error('the synthetic silver has no SYM000 close on its first day');
  const lineage = { ingested_at: first['ingested_at'] ?? null, ingestion_run_id: 'unpriced-test' };
  const lateCloses = days.slice(LATE_FIRST_CLOSE).map((tradeDate) => ({
    symbol: 'LATE',
    trade_date: tradeDate,
    open: 50,
    high: 50,
    low: 50,
    close: 50,
    volume: 1000,
    change: null,
    change_percent: null,
    vwap: 50,
    ...lineage,
  }));
  const profiles = silver.tables['fmp.company_profiles'] ?? [];
  const lateProfile = { ...profiles[0], symbol: 'LATE', company_name: 'Late Listing Inc.' };

  const portfolios = ['pf-unpriced', 'pf-late', 'pf-priced'].map((id) => ({
    id,
    name: id,
    base_currency: 'USD',
    created_at: `${day(0)} 09:00:00`,
    updated_at: `${day(0)} 09:00:00`,
    ...lineage,
  }));
  let sequence = 0;
  const transaction = (
    portfolioId: string,
    dayIndex: number,
    type: string,
    fields: { amount: number; symbol?: string; quantity?: number; price?: number },
  ): SilverRow => {
    sequence += 1;
    return {
      id: `${portfolioId}-tx-${sequence}`,
      portfolio_id: portfolioId,
      transaction_type: type,
      symbol: fields.symbol ?? null,
      quantity: fields.quantity ?? null,
      price: fields.price ?? null,
      amount: fields.amount,
      transacted_at: `${day(dayIndex)} 15:30:00`,
      updated_at: `${day(dayIndex)} 15:30:00`,
      ...lineage,
    };
  };
  const sym000Close = Number(first['close']);
  const transactions = [
    transaction('pf-unpriced', 0, 'deposit', { amount: 10_000 }),
    transaction('pf-unpriced', 1, 'buy', {
      symbol: 'XYZ',
      quantity: 50,
      price: 100,
      amount: 5_000,
    }),
    transaction('pf-unpriced', 5, 'sell', {
      symbol: 'XYZ',
      quantity: 50,
      price: 110,
      amount: 5_500,
    }),
    transaction('pf-late', 0, 'deposit', { amount: 20_000 }),
    transaction('pf-late', 3, 'buy', { symbol: 'LATE', quantity: 10, price: 50, amount: 500 }),
    transaction('pf-priced', 0, 'deposit', { amount: 30_000 }),
    transaction('pf-priced', 0, 'buy', {
      symbol: 'SYM000',
      quantity: 100,
      price: sym000Close,
      amount: 100 * sym000Close,
    }),
  ];
  return {
    lake: { lakeRoot: join(root, 'lake'), env: 'local', accountId: '123456789012' },
    days,
    tables: {
      ...silver.tables,
      'fmp.eod_prices': [...prices, ...lateCloses],
      'fmp.company_profiles': [...profiles, lateProfile],
      'mongodb.portfolios': portfolios,
      'mongodb.transactions': transactions,
    },
  };
}

type Row = Record<string, unknown>;

describe('holdings without a price', () => {
  let fixture: Fixture;
  let outcome: DbtRunOutcome;
  let database: string;
  let targetPath: string;
  let daily: Map<string, Row>;
  const query = (sql: string) => queryDuckdbFile(database, sql);
  const dayOf = (portfolioId: string, index: number): Row => {
    const row = daily.get(`${portfolioId}|${fixture.days[index]}`);
    if (!row) throw new Error(`no daily_portfolio_summary row for ${portfolioId} on day ${index}`);
    return row;
  };

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'finks-unpriced-'));
    fixture = unpricedFixture(root);
    await writeSyntheticSilver(
      fixture.lake,
      { tradingDays: fixture.days, symbols: [], tables: fixture.tables },
      join(root, 'scratch'),
    );
    database = join(root, 'work', 'finks.duckdb');
    targetPath = join(root, 'work', 'run');
    const chunks: string[] = [];
    outcome = await runDbt({
      command: 'build',
      env: 'local',
      environment: localTargetEnvironment({
        lake: fixture.lake,
        duckdbPath: database,
        exportGold: false,
      }),
      vars: { var_window_days: VAR_WINDOW_DAYS },
      targetPath,
      log: new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk.toString());
          done();
        },
      }),
    });
    if (outcome.exitCode !== EXIT_CODES.ok) process.stderr.write(chunks.join(''));
    daily = new Map(
      (
        await query(`select *, cast(trade_date as varchar) as day
          from main.daily_portfolio_summary`)
      ).map((row) => [`${String(row['portfolio_id'])}|${String(row['day'])}`, row]),
    );
  });

  it('builds every node and warns, naming the warning test and its row count', () => {
    expect(outcome.summary?.failed).toEqual([]);
    expect(outcome.exitCode).toBe(EXIT_CODES.ok);
    const warned = outcome.summary?.nodes.filter((node) => node.status === 'warn') ?? [];
    // XYZ held on days 1-4 by pf-unpriced, LATE on days 3-9 by pf-late.
    expect(warned.map((node) => [node.name, node.failures])).toEqual([
      ['no_unpriced_holdings', 4 + 7],
    ]);
    expect(outcome.message).toBe(
      `dbt finished: ${outcome.summary?.nodes.length} nodes ok, 1 warned: test no_unpriced_holdings (11 rows)`,
    );
  });

  it('names each unpriced (portfolio, symbol, day), and no priced or sold-out one', async () => {
    const compiled = await readFile(
      join(targetPath, 'compiled', 'finks', 'tests', 'no_unpriced_holdings.sql'),
      'utf8',
    );
    const named = (await query(compiled)).map(
      (row) =>
        `${String(row['portfolio_id'])} ${String(row['symbol'])} ${String(row['trade_date'])}`,
    );
    const expected = [
      ...[1, 2, 3, 4].map((i) => `pf-unpriced XYZ ${fixture.days[i]}`),
      ...[3, 4, 5, 6, 7, 8, 9].map((i) => `pf-late LATE ${fixture.days[i]}`),
    ];
    expect(named.sort()).toEqual(expected.sort());
  });

  it('keeps price and market value NULL for a position without a close, never 0', async () => {
    const [late] = await query(`select price, market_value from main.int_positions_daily
      where portfolio_id = 'pf-late' and symbol = 'LATE'
        and trade_date = date '${fixture.days[3]}'`);
    expect(late).toEqual({ price: null, market_value: null });
  });

  it('leaves a day with an unpriced holding unvalued instead of reporting a loss', () => {
    // Day 0: the deposit. Days 1-4 hold XYZ: cash alone is 5,000, the value is unknown.
    expect(dayOf('pf-unpriced', 0)).toMatchObject({ market_value: 10_000, unpriced_holdings: 0 });
    for (const index of [1, 2, 3, 4]) {
      expect(dayOf('pf-unpriced', index), `day ${index}`).toMatchObject({
        market_value: null,
        cash: 5_000,
        daily_pnl: null,
        daily_return: null,
        number_of_holdings: 1,
        unpriced_holdings: 1,
      });
    }
    // Sold on day 5: valued again, but its return needs day 4's value.
    expect(dayOf('pf-unpriced', 5)).toMatchObject({
      market_value: 10_500,
      previous_market_value: null,
      daily_return: null,
      unpriced_holdings: 0,
    });
    expect(dayOf('pf-unpriced', 6)).toMatchObject({ market_value: 10_500, daily_return: 0 });
    // LATE is valued from its first close (10 * 50 = 500 beside 19,500 cash).
    expect(dayOf('pf-late', 9)).toMatchObject({ market_value: null, unpriced_holdings: 1 });
    expect(dayOf('pf-late', 10)).toMatchObject({ market_value: 20_000, daily_return: null });
    expect(dayOf('pf-late', 11)).toMatchObject({ market_value: 20_000, daily_return: 0 });
    // No day anywhere shows the fake loss of the holdings' cost.
    const returns = [...daily.values()].map((row) => row['daily_return']);
    expect(returns.filter((r) => typeof r === 'number' && Math.abs(r) > 0.2)).toEqual([]);
    expect([...daily.values()].filter((row) => row['unpriced_holdings'] === 0)).not.toContainEqual(
      expect.objectContaining({ market_value: null }),
    );
  });

  it('gives no monthly TWR for a month with an unvalued day, and no cumulative return after', async () => {
    const months = await query(`select portfolio_id, cast(month_start as varchar) as month,
        return_days, unvalued_days, time_weighted_return, cumulative_return, max_drawdown
      from main.monthly_performance order by portfolio_id, month_start`);
    const month = (portfolioId: string, start: string) =>
      months.find((row) => row['portfolio_id'] === portfolioId && row['month'] === start);
    // January: pf-unpriced's days 1-5, pf-late's days 3-10 have no return.
    expect(month('pf-unpriced', '2024-01-01')).toMatchObject({
      unvalued_days: 5,
      time_weighted_return: null,
      cumulative_return: null,
      max_drawdown: null,
    });
    expect(month('pf-late', '2024-01-01')).toMatchObject({
      unvalued_days: 8,
      time_weighted_return: null,
      cumulative_return: null,
    });
    // February is valued throughout: its TWR is defined, the chain since inception is not.
    for (const portfolioId of ['pf-unpriced', 'pf-late']) {
      const february = month(portfolioId, '2024-02-01');
      expect(february, portfolioId).toMatchObject({ unvalued_days: 0, cumulative_return: null });
      expect(february?.['time_weighted_return'], portfolioId).toEqual(expect.any(Number));
    }
    // The fully priced portfolio: every month and the chain are defined, as before.
    const priced = months.filter((row) => row['portfolio_id'] === 'pf-priced');
    expect(priced.length).toBeGreaterThanOrEqual(2);
    for (const row of priced) {
      expect(row['unvalued_days']).toBe(0);
      expect(row['time_weighted_return']).toEqual(expect.any(Number));
      expect(row['cumulative_return']).toEqual(expect.any(Number));
    }
  });

  it('keeps unvalued days out of the VaR window instead of counting them as 0 %', async () => {
    const risk = await query(`select portfolio_id, cast(trade_date as varchar) as day,
        observations, historical_var_95_pct
      from main.var_calculations order by portfolio_id, trade_date`);
    for (const portfolioId of ['pf-unpriced', 'pf-late', 'pf-priced']) {
      const defined = [...daily.values()]
        .filter((row) => row['portfolio_id'] === portfolioId && row['daily_return'] !== null)
        .map((row) => String(row['day']))
        .sort();
      const rows = risk.filter((row) => row['portfolio_id'] === portfolioId);
      expect(
        rows.map((row) => row['day']),
        portfolioId,
      ).toEqual(defined);
      rows.forEach((row, index) => {
        const observations = Math.min(index + 1, VAR_WINDOW_DAYS);
        expect(row['observations'], `${portfolioId} ${String(row['day'])}`).toBe(observations);
        expect(row['historical_var_95_pct'] === null).toBe(observations < VAR_WINDOW_DAYS);
      });
    }
    // pf-late has no VaR row on days 3-10, the days without a return.
    const lateDays = new Set(
      risk.filter((r) => r['portfolio_id'] === 'pf-late').map((r) => r['day']),
    );
    for (const index of [3, 4, 5, 6, 7, 8, 9, 10]) {
      expect(lateDays.has(fixture.days[index])).toBe(false);
    }
  });
});
