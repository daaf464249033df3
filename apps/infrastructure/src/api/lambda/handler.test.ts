import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GOLD_DATABASE,
  PORTFOLIO_A,
  PORTFOLIO_B,
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
  it('summarises the range from the gold mart', async () => {
    const response = await summary(PORTFOLIO_A, '2025-03-03', '2025-03-07');
    expect(response.statusCode).toBe(200);
    const result = body(response);
    expect(result).toMatchObject({
      portfolioId: PORTFOLIO_A,
      from: '2025-03-03',
      to: '2025-03-07',
      tradingDays: 5,
      startValue: 1000,
      endValue: 1121.898,
      netFlows: 100,
    });
    // (1.01)(0.99)(1.02) − 1
    expect(result['cumulativeReturn']).toBeCloseTo(1.01 * 0.99 * 1.02 - 1, 10);
  });

  it('restricts the range and the portfolio', async () => {
    const result = body(await summary(PORTFOLIO_A, '2025-03-04', '2025-03-05'));
    expect(result).toMatchObject({ tradingDays: 2, startValue: 1010, endValue: 999.9 });
    expect(body(await summary(PORTFOLIO_B, '2025-03-01', '2025-03-31'))).toMatchObject({
      tradingDays: 2,
      endValue: 55,
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
  it('lists the value-at-risk measures of the day, by confidence and horizon', async () => {
    const response = await risk({
      pathParameters: { id: PORTFOLIO_A },
      queryStringParameters: { date: '2025-03-07' },
    });
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({
      portfolioId: PORTFOLIO_A,
      date: '2025-03-07',
      measures: [
        { confidence: 0.95, horizonDays: 1, valueAtRisk: 25.25, currency: 'CAD' },
        { confidence: 0.95, horizonDays: 10, valueAtRisk: 80, currency: 'CAD' },
        { confidence: 0.99, horizonDays: 1, valueAtRisk: 41.5, currency: 'CAD' },
      ],
    });
  });

  it('answers 404 on a day without measures', async () => {
    expect(
      (
        await risk({
          pathParameters: { id: PORTFOLIO_A },
          queryStringParameters: { date: '2025-03-06' },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('injection attempts', () => {
  const attacks = [
    `${PORTFOLIO_A}' OR '1'='1`,
    `${PORTFOLIO_A}'; DROP TABLE portfolio_var; --`,
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
      "x'; DROP VIEW finks_test_gold.portfolio_var; --",
      '2025-03-07',
    );
    expect(await gold.run(dropped)).toEqual([]);
    const rows: Row[] = await gold.run(valueAtRiskQuery(GOLD_DATABASE, PORTFOLIO_B, '2025-03-07'));
    expect(rows).toHaveLength(1);
  });

  it('refuses a database name that is not a Glue name', async () => {
    const { summaryQuery } = await import('./portfolio-queries');
    expect(() => summaryQuery('gold"; drop', PORTFOLIO_A, '2025-03-03', '2025-03-04')).toThrow(
      /GOLD_DATABASE/,
    );
  });
});
