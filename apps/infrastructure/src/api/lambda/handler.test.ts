import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GOLD_DATABASE,
  PORTFOLIO_A,
  PORTFOLIO_B,
  PORTFOLIO_C,
  PORTFOLIO_D,
  goldFixtures,
  type GoldFixtures,
} from '../../testing/gold-fixtures';
import { handlePortfolioRequest, type HttpEvent } from './handler';
import type { BoundQuery } from './portfolio-queries';
import type { QueryRunner, Row } from './query-runner';

let gold: GoldFixtures;
const queries: BoundQuery[] = [];
const recording: QueryRunner = {
  run(query) {
    queries.push(query);
    return gold.run(query);
  },
};

beforeAll(async () => {
  gold = await goldFixtures();
});
afterAll(() => gold.close());

const summary = (id: string, from: string, to: string) =>
  handlePortfolioRequest(
    'summary',
    { pathParameters: { id }, queryStringParameters: { from, to } },
    recording,
    GOLD_DATABASE,
  );
const risk = (event: HttpEvent) => handlePortfolioRequest('var', event, recording, GOLD_DATABASE);
const body = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

describe('GET /portfolios/{id}/summary', () => {
  it('summarises the range from daily_portfolio_summary', async () => {
    const response = await summary(PORTFOLIO_A, '2025-03-03', '2025-03-07');
    expect(response.statusCode).toBe(200);
    const result = body(response);
    expect(result).toEqual({
      portfolioId: PORTFOLIO_A,
      from: '2025-03-03',
      to: '2025-03-07',
      tradingDays: 5,
      startValue: 1000,
      endValue: 1121.898,
      // the 100 deposited on 2025-03-06; the first day's 1000 deposit precedes the start value
      netFlows: 100,
      returnDays: 4,
      unvaluedDays: 0,
      cumulativeReturn: expect.any(Number),
    });
    // (1.01)(0.99)(1.00)(1.02) − 1
    expect(result['cumulativeReturn']).toBeCloseTo(1.01 * 0.99 * 1.02 - 1, 10);
  });

  it('restricts the range and the portfolio', async () => {
    const result = body(await summary(PORTFOLIO_A, '2025-03-04', '2025-03-05'));
    expect(result).toMatchObject({
      from: '2025-03-04',
      to: '2025-03-05',
      tradingDays: 2,
      startValue: 1010,
      endValue: 999.9,
      netFlows: 0,
      returnDays: 1,
    });
    expect(result['cumulativeReturn']).toBeCloseTo(-0.01, 10);
    const portfolioB = body(await summary(PORTFOLIO_B, '2025-03-01', '2025-03-31'));
    expect(portfolioB).toMatchObject({
      portfolioId: PORTFOLIO_B,
      from: '2025-03-03',
      to: '2025-03-04',
      tradingDays: 2,
      startValue: 50,
      endValue: 55,
      netFlows: 0,
      returnDays: 1,
    });
    expect(portfolioB['cumulativeReturn']).toBeCloseTo(0.1, 10);
  });

  it("counts flows and returns after the range's first day only", async () => {
    // 2025-03-06 holds the 100 deposit and a 0 return: both belong before the start value.
    const result = body(await summary(PORTFOLIO_A, '2025-03-06', '2025-03-07'));
    expect(result).toMatchObject({ startValue: 1099.9, endValue: 1121.898, netFlows: 0 });
    expect(result['cumulativeReturn']).toBeCloseTo(0.02, 10);
    // One day: no period to measure.
    expect(body(await summary(PORTFOLIO_A, '2025-03-07', '2025-03-07'))).toMatchObject({
      tradingDays: 1,
      startValue: 1121.898,
      endValue: 1121.898,
      netFlows: 0,
      returnDays: 0,
      cumulativeReturn: 0,
    });
  });

  it('compounds returns of -100 % and below without a logarithm of 0 or a negative', async () => {
    // (1 + 1.0)(1 - 1.5) - 1 = -2; the null return of 2025-03-06 (V(d_prev) < 0) is skipped.
    const negative = body(await summary(PORTFOLIO_C, '2025-03-03', '2025-03-06'));
    expect(negative).toMatchObject({ tradingDays: 4, endValue: 50, netFlows: 150, returnDays: 2 });
    expect(negative['cumulativeReturn']).toBeCloseTo(-2, 10);
    // A -100 % day wipes the period out.
    const wiped = body(await summary(PORTFOLIO_C, '2025-03-03', '2025-03-07'));
    expect(wiped).toMatchObject({ returnDays: 3, cumulativeReturn: -1 });
  });

  describe('over days left unvalued by an unpriced holding', () => {
    it('reports no cumulative return rather than count unknown returns as 0 %', async () => {
      // 03-05 and 03-06 have no value, 03-07 no return (V(03-06) unknown): compounding the two
      // known 10 % returns would report 21 % where the values say 33.1 %.
      expect(body(await summary(PORTFOLIO_D, '2025-03-03', '2025-03-10'))).toEqual({
        portfolioId: PORTFOLIO_D,
        from: '2025-03-03',
        to: '2025-03-10',
        tradingDays: 6,
        startValue: 1000,
        endValue: 1331,
        netFlows: 0,
        returnDays: 2,
        unvaluedDays: 3,
        cumulativeReturn: null,
      });
    });

    it("reports an unknown start or end value as null, not a neighbouring day's", async () => {
      // The first day's close is unknown, and with it the next day's return.
      expect(body(await summary(PORTFOLIO_D, '2025-03-06', '2025-03-07'))).toMatchObject({
        tradingDays: 2,
        startValue: null,
        endValue: 1210,
        returnDays: 0,
        unvaluedDays: 2,
        cumulativeReturn: null,
      });
      expect(body(await summary(PORTFOLIO_D, '2025-03-04', '2025-03-05'))).toMatchObject({
        tradingDays: 2,
        startValue: 1100,
        endValue: null,
        returnDays: 0,
        unvaluedDays: 1,
        cumulativeReturn: null,
      });
      expect(body(await summary(PORTFOLIO_D, '2025-03-06', '2025-03-06'))).toMatchObject({
        tradingDays: 1,
        startValue: null,
        endValue: null,
        unvaluedDays: 1,
        cumulativeReturn: null,
      });
    });

    it('keeps a range that starts at a valued close after them', async () => {
      // 03-07's own return is unknown, but the period runs from its close, which is known.
      const result = body(await summary(PORTFOLIO_D, '2025-03-07', '2025-03-10'));
      expect(result).toMatchObject({
        startValue: 1210,
        endValue: 1331,
        returnDays: 1,
        unvaluedDays: 0,
      });
      expect(result['cumulativeReturn']).toBeCloseTo(0.1, 10);
    });

    it('compounds a range of valued days before them as before', async () => {
      const result = body(await summary(PORTFOLIO_D, '2025-03-03', '2025-03-04'));
      expect(result).toMatchObject({
        startValue: 1000,
        endValue: 1100,
        returnDays: 1,
        unvaluedDays: 0,
      });
      expect(result['cumulativeReturn']).toBeCloseTo(0.1, 10);
    });
  });

  it('answers 404 when the portfolio has no rows in the range', async () => {
    expect((await summary(PORTFOLIO_A, '2024-01-01', '2024-01-31')).statusCode).toBe(404);
  });

  it.each([
    ['from after to', PORTFOLIO_A, '2025-03-07', '2025-03-03', 'from'],
    ['a range over five years', PORTFOLIO_A, '2015-01-01', '2025-03-03', 'to'],
    ['an impossible date', PORTFOLIO_A, '2025-02-30', '2025-03-03', 'from'],
    ['a missing date', PORTFOLIO_A, '', '2025-03-03', 'from'],
  ])('rejects %s with 400', async (_, id, from, to, parameter) => {
    const response = await summary(id, from, to);
    expect(response.statusCode).toBe(400);
    expect(body(response)['parameter']).toBe(parameter);
  });
});

describe('GET /portfolios/{id}/var', () => {
  const varOn = (id: string, date: string) =>
    risk({ pathParameters: { id }, queryStringParameters: { date } });

  it("returns the day's historical and parametric VaR and expected shortfall", async () => {
    const response = await varOn(PORTFOLIO_A, '2025-03-07');
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({
      portfolioId: PORTFOLIO_A,
      date: '2025-03-07',
      marketValue: 1121.898,
      observations: 250,
      historicalVar95: { pct: 0.015, amount: 16.82847 },
      historicalVar99: { pct: 0.03, amount: 33.65694 },
      expectedShortfall95: { pct: 0.022, amount: 24.681756 },
      expectedShortfall99: { pct: 0.035, amount: 39.26643 },
      parametricVar95: { pct: 0.016, amount: 17.950368 },
      parametricVar99: { pct: 0.024, amount: 26.925552 },
    });
  });

  it('reads the requested portfolio only', async () => {
    expect(body(await varOn(PORTFOLIO_B, '2025-03-04'))).toMatchObject({
      portfolioId: PORTFOLIO_B,
      marketValue: 55,
      historicalVar95: { pct: 0.02, amount: 1.1 },
      parametricVar99: { pct: 0.031, amount: 1.705 },
    });
    expect((await varOn(PORTFOLIO_B, '2025-03-07')).statusCode).toBe(404);
  });

  it('returns null measures while the window is not full', async () => {
    const response = await varOn(PORTFOLIO_A, '2025-03-06');
    expect(response.statusCode).toBe(200);
    const result = body(response);
    expect(result).toMatchObject({ date: '2025-03-06', marketValue: 1099.9, observations: 249 });
    for (const measure of [
      'historicalVar95',
      'historicalVar99',
      'expectedShortfall95',
      'expectedShortfall99',
      'parametricVar95',
      'parametricVar99',
    ]) {
      expect(result[measure]).toEqual({ pct: null, amount: null });
    }
  });

  it('answers 404 on a day without a row (no defined return yet)', async () => {
    expect((await varOn(PORTFOLIO_A, '2025-03-03')).statusCode).toBe(404);
  });
});

describe('injection attempts', () => {
  const attacks = [
    `${PORTFOLIO_A}' OR '1'='1`,
    `${PORTFOLIO_A}'; DROP TABLE var_calculations; --`,
    "' UNION SELECT * FROM information_schema.tables --",
    `${PORTFOLIO_A} OR 1=1`,
    `${PORTFOLIO_A.toUpperCase()}`,
    '../../etc/passwd',
  ];

  it.each(attacks)('rejects the id %j before any query runs', async (id) => {
    const before = queries.length;
    const response = await risk({
      pathParameters: { id },
      queryStringParameters: { date: '2025-03-07' },
    });
    expect(response.statusCode).toBe(400);
    expect(body(response)['parameter']).toBe('id');
    expect(queries.length).toBe(before);
  });

  it.each(["2025-03-07' OR '1'='1", '2025-03-07; DROP TABLE x', "2025-03-07'--", '2025-3-7'])(
    'rejects the date %j before any query runs',
    async (date) => {
      const before = queries.length;
      const response = await risk({
        pathParameters: { id: PORTFOLIO_A },
        queryStringParameters: { date },
      });
      expect(response.statusCode).toBe(400);
      expect(queries.length).toBe(before);
    },
  );

  it('keeps every request value out of the SQL text', async () => {
    await summary(PORTFOLIO_A, '2025-03-03', '2025-03-07');
    for (const query of queries) {
      for (const param of query.params) expect(query.sql).not.toContain(param.value);
    }
  });

  it('binds a hostile value as data when validation is bypassed: no rows, tables intact', async () => {
    const { valueAtRiskQuery } = await import('./portfolio-queries');
    const hostile = valueAtRiskQuery(GOLD_DATABASE, "x' OR '1'='1", '2025-03-07');
    expect(await gold.run(hostile)).toEqual([]);
    const dropped = valueAtRiskQuery(
      GOLD_DATABASE,
      "x'; DROP VIEW finks_test_gold.var_calculations; --",
      '2025-03-07',
    );
    expect(await gold.run(dropped)).toEqual([]);
    const rows: Row[] = await gold.run(valueAtRiskQuery(GOLD_DATABASE, PORTFOLIO_B, '2025-03-04'));
    expect(rows).toHaveLength(1);
    const { summaryQuery } = await import('./portfolio-queries');
    const hostileRange = summaryQuery(
      GOLD_DATABASE,
      "x' OR '1'='1'; DROP VIEW finks_test_gold.daily_portfolio_summary; --",
      '2025-03-03',
      '2025-03-07',
    );
    expect(await gold.run(hostileRange)).toEqual([]);
    const [intact] = await gold.run(
      summaryQuery(GOLD_DATABASE, PORTFOLIO_A, '2025-03-03', '2025-03-07'),
    );
    expect(Number(intact?.['trading_days'])).toBe(5);
  });

  it('refuses a database name that is not a Glue name', async () => {
    const { summaryQuery } = await import('./portfolio-queries');
    expect(() => summaryQuery('gold"; drop', PORTFOLIO_A, '2025-03-03', '2025-03-04')).toThrow(
      /GOLD_DATABASE/,
    );
  });
});
