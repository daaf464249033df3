// Lambda entry points of the portfolio API (API Gateway HTTP API, payload format 2.0).
import { AthenaQueryRunner } from './athena-runner';
import {
  RISK_MEASURES,
  RequestError,
  isoDate,
  portfolioId,
  summaryQuery,
  valueAtRiskQuery,
} from './portfolio-queries';
import type { Cell, QueryRunner, Row } from './query-runner';

export interface HttpEvent {
  readonly pathParameters?: Readonly<Record<string, string | undefined>>;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>>;
}

export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type Route = 'summary' | 'var';

const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

const num = (value: Cell | undefined): number | null =>
  value === null || value === undefined || value === '' ? null : Number(value);
const str = (value: Cell | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

/** Validates the request, runs the bound query and shapes the response. */
export async function handlePortfolioRequest(
  route: Route,
  event: HttpEvent,
  runner: QueryRunner,
  database: string,
): Promise<HttpResponse> {
  try {
    const id = portfolioId(event.pathParameters?.['id']);
    const query = event.queryStringParameters ?? {};
    if (route === 'summary') {
      const from = isoDate('from', query['from']);
      const to = isoDate('to', query['to']);
      const [row] = await runner.run(summaryQuery(database, id, from, to));
      if (row === undefined) return json(404, { error: 'no data for this portfolio in the range' });
      return json(200, summaryBody(row));
    }
    const date = isoDate('date', query['date']);
    const [row] = await runner.run(valueAtRiskQuery(database, id, date));
    if (row === undefined)
      return json(404, { error: 'no value at risk for this portfolio on that date' });
    return json(200, valueAtRiskBody(row));
  } catch (error) {
    if (error instanceof RequestError)
      return json(400, { error: error.message, parameter: error.parameter });
    console.error(JSON.stringify({ message: 'query failed', route, error: String(error) }));
    return json(500, { error: 'internal error' });
  }
}

function summaryBody(row: Row) {
  return {
    portfolioId: str(row['portfolio_id']),
    from: str(row['from_date']),
    to: str(row['to_date']),
    tradingDays: num(row['trading_days']),
    startValue: num(row['start_value']),
    endValue: num(row['end_value']),
    netFlows: num(row['net_flows']),
    returnDays: num(row['return_days']),
    unvaluedDays: num(row['unvalued_days']),
    cumulativeReturn: num(row['cumulative_return']),
  };
}

/** historical_var_95_pct -> historicalVar95 */
const camel = (column: string) =>
  column.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());

/**
 * One var_calculations row: each measure as `{ pct, amount }` (pct a fraction of the market value,
 * amount in the portfolio's currency), null until the mart's window is full.
 */
function valueAtRiskBody(row: Row) {
  const measures = Object.fromEntries(
    RISK_MEASURES.map((measure) => [
      camel(measure),
      { pct: num(row[`${measure}_pct`]), amount: num(row[`${measure}_amount`]) },
    ]),
  );
  return {
    portfolioId: str(row['portfolio_id']),
    date: str(row['trade_date']),
    marketValue: num(row['market_value']),
    observations: num(row['observations']),
    ...measures,
  };
}

let runner: QueryRunner | undefined;

function environment(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set on the function`);
  return value;
}

function athena(): QueryRunner {
  runner ??= new AthenaQueryRunner({
    workgroup: environment('ATHENA_WORKGROUP'),
    database: environment('GOLD_DATABASE'),
  });
  return runner;
}

export const summary = (event: HttpEvent) =>
  handlePortfolioRequest('summary', event, athena(), environment('GOLD_DATABASE'));

export const valueAtRisk = (event: HttpEvent) =>
  handlePortfolioRequest('var', event, athena(), environment('GOLD_DATABASE'));
