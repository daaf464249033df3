import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localGoldMartFile } from '../src/lake/local-lake';
import { FIXTURE } from '../src/testing/fixture';
import { syntheticSilver } from '../src/testing/synthetic-silver';
import { expectedMarts, type ExpectedMarts } from './expected-marts';
import { queryRows } from './read-parquet';

const build = inject('dbtBuild');
const TOLERANCE = 1e-9;

/** |a - b| within 1e-9, relative to the size of the numbers for currency amounts. */
function close(actual: unknown, expected: number | null, scale = 1): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(
    TOLERANCE * Math.max(1, scale),
  );
}

const key = (row: Record<string, unknown>) =>
  `${String(row['portfolio_id'])}|${String(row['day'])}`;

describe('gold marts equal an independent TypeScript computation (1e-9)', () => {
  let expected: ExpectedMarts;
  let days: Map<string, Record<string, unknown>>;
  let months: Map<string, Record<string, unknown>>;
  let vars: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    expected = expectedMarts(syntheticSilver(FIXTURE));
    const read = async (mart: Parameters<typeof localGoldMartFile>[1], day: string) =>
      new Map(
        (
          await queryRows(
            `select *, strftime(${day}, '%Y-%m-%d') as day from read_parquet('${localGoldMartFile(build.lake, mart)}')`,
          )
        ).map((row) => [key(row), row]),
      );
    days = await read('daily_portfolio_summary', 'trade_date');
    months = await read('monthly_performance', 'month_start');
    vars = await read('var_calculations', 'trade_date');
  });

  it('has one daily row per portfolio and trading day from its first transaction', () => {
    expect(expected.days.length).toBeGreaterThan(700);
    expect(days.size).toBe(expected.days.length);
    expect(new Set(expected.days.map((day) => day.portfolioId)).size).toBe(FIXTURE.portfolios);
  });

  it('computes market value, cash, flows, holdings and daily returns', () => {
    let definedReturns = 0;
    for (const day of expected.days) {
      const row = days.get(`${day.portfolioId}|${day.tradeDate}`);
      expect(row, `${day.portfolioId} ${day.tradeDate}`).toBeDefined();
      close(row?.['market_value'], day.marketValue, day.marketValue);
      close(row?.['cash'], day.cash, Math.abs(day.cash));
      close(row?.['external_flow'], day.externalFlow, Math.abs(day.externalFlow));
      close(row?.['daily_return'], day.dailyReturn);
      expect(Number(row?.['number_of_holdings'])).toBe(day.numberOfHoldings);
      if (day.dailyReturn !== null) definedReturns += 1;
    }
    expect(definedReturns).toBeGreaterThan(700);
  });

  it('includes flows on non-trading days in the next trading day', () => {
    const weekendDeposits = (syntheticSilver(FIXTURE).tables['mongodb.transactions'] ?? []).filter(
      (row) =>
        [0, 6].includes(
          new Date(`${String(row['transacted_at']).slice(0, 10)}T00:00:00Z`).getUTCDay(),
        ),
    );
    expect(weekendDeposits.length).toBeGreaterThan(0);
  });

  it('computes monthly TWR, cumulative return, volatility and drawdown for portfolio and benchmark', () => {
    expect(months.size).toBe(expected.months.length);
    for (const month of expected.months) {
      const row = months.get(`${month.portfolioId}|${month.monthStart}`);
      expect(row, `${month.portfolioId} ${month.monthStart}`).toBeDefined();
      close(row?.['time_weighted_return'], month.timeWeightedReturn);
      close(row?.['cumulative_return'], month.cumulativeReturn);
      close(row?.['volatility'], month.volatility);
      close(row?.['max_drawdown'], month.maxDrawdown);
      close(row?.['benchmark_time_weighted_return'], month.benchmarkTimeWeightedReturn);
      close(row?.['benchmark_cumulative_return'], month.benchmarkCumulativeReturn);
      close(row?.['benchmark_max_drawdown'], month.benchmarkMaxDrawdown);
    }
  });

  it('computes historical and parametric VaR and expected shortfall over 250 returns', () => {
    expect(vars.size).toBe(expected.vars.length);
    let full = 0;
    for (const value of expected.vars) {
      const row = vars.get(`${value.portfolioId}|${value.tradeDate}`);
      expect(row, `${value.portfolioId} ${value.tradeDate}`).toBeDefined();
      expect(Number(row?.['observations'])).toBe(value.observations);
      close(row?.['historical_var_95_pct'], value.historicalVar95);
      close(row?.['historical_var_99_pct'], value.historicalVar99);
      close(row?.['expected_shortfall_95_pct'], value.expectedShortfall95);
      close(row?.['expected_shortfall_99_pct'], value.expectedShortfall99);
      close(row?.['parametric_var_95_pct'], value.parametricVar95);
      close(row?.['parametric_var_99_pct'], value.parametricVar99);
      close(
        row?.['historical_var_99_amount'],
        value.historicalVar99Amount,
        Math.abs(value.historicalVar99Amount ?? 1),
      );
      if (value.historicalVar95 !== null) full += 1;
    }
    // 300 days minus the start offsets leaves full windows for every portfolio.
    expect(full).toBeGreaterThan(50);
  });

  it('stamps gold rows with the correlation id and dbt invocation', () => {
    const row = [...days.values()][0];
    expect(row?.['correlation_id']).toBe(build.correlationId);
    expect(String(row?.['dbt_invocation_id'])).toMatch(/^[0-9a-f-]{36}$/);
  });
});
