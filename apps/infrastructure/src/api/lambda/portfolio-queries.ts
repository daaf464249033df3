// The API's queries over the gold marts. Runs inside the Lambda bundle: no imports beyond this
// folder and the AWS SDK the Lambda runtime provides.
//
// Gold marts read, as dbt-runner writes them (apps/dbt-runner/dbt/models/marts/_marts.yml):
//   daily_portfolio_summary(portfolio_id varchar, trade_date date, market_value double,
//       cash double, external_flow double, previous_market_value double, daily_pnl double,
//       daily_return double, number_of_holdings bigint, unpriced_holdings bigint,
//       largest_weight double, correlation_id varchar, dbt_invocation_id varchar)
//     one row per portfolio and trading day; market_value includes cash; daily_return is null on
//     the portfolio's first day and whenever the previous day's value is not positive.
//     unpriced_holdings counts securities held without a close on or before the day: when > 0
//     the day is unvalued, market_value, daily_pnl and daily_return are null, and the next day's
//     daily_pnl and daily_return are null too.
//   var_calculations(portfolio_id varchar, trade_date date, market_value double,
//       observations bigint, historical_var_95_pct double, historical_var_95_amount double,
//       historical_var_99_pct, historical_var_99_amount, expected_shortfall_95_pct,
//       expected_shortfall_95_amount, expected_shortfall_99_pct, expected_shortfall_99_amount,
//       parametric_var_95_pct, parametric_var_95_amount, parametric_var_99_pct,
//       parametric_var_99_amount (all double), correlation_id varchar, dbt_invocation_id varchar)
//     one row per portfolio and trading day with a defined daily return; every VaR and ES is
//     null until the window (var_window_days defined returns) is full.

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

/** The tables of the gold marts the API reads. */
export const DAILY_SUMMARY_TABLE = 'daily_portfolio_summary';
export const VAR_TABLE = 'var_calculations';

/** The value-at-risk measures of var_calculations, each with a `_pct` and an `_amount` column. */
export const RISK_MEASURES = [
  'historical_var_95',
  'historical_var_99',
  'expected_shortfall_95',
  'expected_shortfall_99',
  'parametric_var_95',
  'parametric_var_99',
] as const;
export type RiskMeasure = (typeof RISK_MEASURES)[number];

/**
 * The range's first and last trading days in the mart between `from` and `to`: their market values,
 * and over the days after the first (the period runs from the first day's close to the last's)
 * the external flows and the compounded defined daily returns, prod(1 + r) - 1. Null returns
 * (V(d_prev) <= 0) are skipped; return_days counts the returns compounded. The product is taken
 * as sign * exp(sum(ln|1 + r|)), with a -100 % day making it 0, so no logarithm of 0 or of a
 * negative number is ever evaluated (a value that turned negative gives r < -1).
 *
 * A day with an unpriced holding has no value, and the day after it no return: skipping that
 * return would count it as 0 %. unvalued_days counts the range's days whose close the period
 * needs but lacks: any day without a value, and a day after the first whose previous day has
 * none (monthly_performance's unvalued_days, over the period). cumulative_return is null when
 * there is one. start_value and end_value are read from the first and last day's rows only,
 * null when that day is unvalued: min_by/max_by skip a null value on DuckDB and would report a
 * neighbouring day's.
 */
export function summaryQuery(database: string, id: string, from: string, to: string): BoundQuery {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0) throw new RequestError('from', 'must not be after to');
  if (days > MAX_RANGE_DAYS)
    throw new RequestError('to', `must be within ${MAX_RANGE_DAYS} days of from`);
  return {
    sql: `with in_range as (
  select
    portfolio_id,
    trade_date,
    market_value,
    external_flow,
    daily_return,
    market_value is null or unpriced_holdings > 0 as is_unpriced,
    trade_date = min(trade_date) over () as is_first_day,
    trade_date = max(trade_date) over () as is_last_day
  from ${quotedTable(database, DAILY_SUMMARY_TABLE)}
  where portfolio_id = ?
    and trade_date between cast(? as date) and cast(? as date)
),
period_days as (
  select
    portfolio_id,
    trade_date,
    market_value,
    external_flow,
    daily_return,
    is_first_day,
    is_last_day,
    not is_first_day as after_first_day,
    is_unpriced
      or coalesce(lag(is_unpriced) over (order by trade_date), false) as is_unvalued
  from in_range
)
select
  portfolio_id,
  cast(min(trade_date) as varchar) as from_date,
  cast(max(trade_date) as varchar) as to_date,
  count(*) as trading_days,
  max(case when is_first_day then market_value end) as start_value,
  max(case when is_last_day then market_value end) as end_value,
  coalesce(sum(case when after_first_day then external_flow end), 0) as net_flows,
  count(case when after_first_day then daily_return end) as return_days,
  count(case when is_unvalued then 1 end) as unvalued_days,
  case
    when count(case when is_unvalued then 1 end) > 0 then null
    when count(case when after_first_day and daily_return = -1 then 1 end) > 0 then -1
    else
      case
        when mod(count(case when after_first_day and daily_return < -1 then 1 end), 2) = 1
          then -1
        else 1
      end
      * coalesce(exp(sum(
        case when after_first_day and daily_return <> -1 then ln(abs(1 + daily_return)) end
      )), 1) - 1
  end as cumulative_return
from period_days
group by portfolio_id`,
    params: [
      { kind: 'string', value: id },
      { kind: 'date', value: from },
      { kind: 'date', value: to },
    ],
  };
}

/** The portfolio's var_calculations row of the day: every measure in percent and amount. */
export function valueAtRiskQuery(database: string, id: string, date: string): BoundQuery {
  const measures = RISK_MEASURES.flatMap((measure) => [
    `  ${measure}_pct`,
    `  ${measure}_amount`,
  ]).join(',\n');
  return {
    sql: `select
  portfolio_id,
  cast(trade_date as varchar) as trade_date,
  market_value,
  observations,
${measures}
from ${quotedTable(database, VAR_TABLE)}
where portfolio_id = ?
  and trade_date = cast(? as date)`,
    params: [
      { kind: 'string', value: id },
      { kind: 'date', value: date },
    ],
  };
}
