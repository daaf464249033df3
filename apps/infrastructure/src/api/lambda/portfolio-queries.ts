// The API's queries over the gold marts. Runs inside the Lambda bundle: no imports beyond this
// folder and the AWS SDK the Lambda runtime provides.
//
// Gold marts read (written by dbt-runner):
//   portfolio_daily_values(portfolio_id string, as_of_date date, market_value double,
//                          net_flows double, daily_return double)
//   portfolio_var(portfolio_id string, as_of_date date, confidence double, horizon_days bigint,
//                 var_amount double, currency string)

/** A bound query parameter; the runner passes it to the engine, never into the SQL text. */
export type QueryParam =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'date'; readonly value: string };

export interface BoundQuery {
  readonly sql: string;
  readonly params: readonly QueryParam[];
}

export class RequestError extends Error {
  constructor(
    readonly parameter: string,
    problem: string,
  ) {
    super(`${parameter} ${problem}`);
    this.name = 'RequestError';
  }
}

// Portfolio ids are MongoDB ObjectIds as the contracts render them: 24 lowercase hex digits.
const PORTFOLIO_ID = /^[a-f0-9]{24}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATABASE = /^[a-z0-9_]{1,255}$/;
/** Longest summary range: five years of daily rows. */
export const MAX_RANGE_DAYS = 5 * 366;

export function portfolioId(value: string | undefined): string {
  if (value === undefined || !PORTFOLIO_ID.test(value)) {
    throw new RequestError('id', 'must be a portfolio id (24 lowercase hex characters)');
  }
  return value;
}

export function isoDate(name: string, value: string | undefined): string {
  const match = value === undefined ? null : ISO_DATE.exec(value);
  if (value === undefined || match === null) {
    throw new RequestError(name, 'must be a date as YYYY-MM-DD');
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    throw new RequestError(name, 'is not a calendar date');
  }
  return value;
}

/** The Glue database is configuration, not input, but it is still checked before it is quoted. */
export function quotedTable(database: string, table: string): string {
  if (!DATABASE.test(database))
    throw new Error(`GOLD_DATABASE "${database}" is not a Glue database name`);
  return `"${database}"."${table}"`;
}

export function summaryQuery(database: string, id: string, from: string, to: string): BoundQuery {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0) throw new RequestError('from', 'must not be after to');
  if (days > MAX_RANGE_DAYS)
    throw new RequestError('to', `must be within ${MAX_RANGE_DAYS} days of from`);
  return {
    sql: `select
  portfolio_id,
  cast(min(as_of_date) as varchar) as from_date,
  cast(max(as_of_date) as varchar) as to_date,
  count(*) as trading_days,
  min_by(market_value, as_of_date) as start_value,
  max_by(market_value, as_of_date) as end_value,
  sum(net_flows) as net_flows,
  exp(sum(ln(1 + daily_return))) - 1 as cumulative_return
from ${quotedTable(database, 'portfolio_daily_values')}
where portfolio_id = ?
  and as_of_date between cast(? as date) and cast(? as date)
group by portfolio_id`,
    params: [
      { kind: 'string', value: id },
      { kind: 'date', value: from },
      { kind: 'date', value: to },
    ],
  };
}

export function valueAtRiskQuery(database: string, id: string, date: string): BoundQuery {
  return {
    sql: `select
  portfolio_id,
  cast(as_of_date as varchar) as as_of_date,
  confidence,
  horizon_days,
  var_amount,
  currency
from ${quotedTable(database, 'portfolio_var')}
where portfolio_id = ?
  and as_of_date = cast(? as date)
order by confidence, horizon_days`,
    params: [
      { kind: 'string', value: id },
      { kind: 'date', value: date },
    ],
  };
}
