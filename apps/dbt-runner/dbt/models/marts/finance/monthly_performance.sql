{{ config(
    external_location=finks.gold_mart_location('monthly_performance')
) }}

{#-
    Per portfolio and month, over the month's defined daily returns r: TWR = prod(1 + r) - 1,
    cumulative return = prod over months so far of (1 + TWR) - 1, volatility = stddev_samp(r) *
    sqrt(trading_days_per_year), max drawdown = max(1 - W / max(1, running max W)) for the
    wealth index W = prod(1 + r) within the month. The benchmark is the equal-weighted average
    of every symbol's simple return per trading day, measured the same way.
    prod(x) is finks.product (DuckDB's product; sums of logarithms on Athena), its window passed
    as `over`.
    An unvalued day (daily_portfolio_summary.unpriced_holdings > 0 on d or on d_prev) has no
    return, and skipping it would count it as 0 %: a month with one has TWR and max drawdown
    NULL, and cumulative return is NULL from that month on; volatility stays over the returns
    the month has (return_days), as VaR's window does.
-#}
with

daily_summary as (
    select * from {{ ref('daily_portfolio_summary') }}
),

market_metrics as (
    select * from {{ ref('int_market_metrics') }}
),

portfolio_days as (
    select
        portfolio_id,
        trade_date,
        {{ finks.month_start('trade_date') }} as month_start,
        daily_return,
        unpriced_holdings > 0
        or coalesce(
            lag(unpriced_holdings) over (
                partition by portfolio_id
                order by trade_date
            ) > 0,
            false
        ) as is_unvalued
    from daily_summary
),

portfolio_returns as (
    select
        portfolio_id,
        trade_date,
        month_start,
        daily_return
    from portfolio_days
    where daily_return is not null
),

portfolio_valuations as (
    {#- Every month the portfolio has a day in, with its unvalued days: a month
        of unvalued days only has no return to aggregate, yet it breaks the
        chain of the cumulative return. -#}
    select
        portfolio_id,
        month_start,
        count(case when is_unvalued then 1 end) as unvalued_days
    from portfolio_days
    group by portfolio_id, month_start
),

benchmark_returns as (
    select
        trade_date,
        {{ finks.month_start('trade_date') }} as month_start,
        avg(simple_return) as daily_return
    from market_metrics
    where simple_return is not null
    group by trade_date
),

portfolio_wealth as (
    select
        portfolio_id,
        month_start,
        trade_date,
        daily_return,
        {{ finks.product('1 + daily_return', over='
            partition by portfolio_id, month_start
            order by trade_date
            rows between unbounded preceding and current row
        ') }} as wealth_index
    from portfolio_returns
),

portfolio_drawdowns as (
    select
        portfolio_id,
        month_start,
        daily_return,
        1 - wealth_index / greatest(1.0, max(wealth_index) over (
            partition by portfolio_id, month_start
            order by trade_date
            rows between unbounded preceding and current row
        )) as drawdown
    from portfolio_wealth
),

portfolio_return_months as (
    select
        portfolio_id,
        month_start,
        count(*) as return_days,
        {{ finks.product('1 + daily_return') }} - 1 as time_weighted_return,
        stddev_samp(daily_return)
        * sqrt({{ var('trading_days_per_year') }}) as volatility,
        max(drawdown) as max_drawdown
    from portfolio_drawdowns
    group by portfolio_id, month_start
),

portfolio_months as (
    select
        portfolio_valuations.portfolio_id,
        portfolio_valuations.month_start,
        coalesce(portfolio_return_months.return_days, 0) as return_days,
        portfolio_valuations.unvalued_days,
        case
            when portfolio_valuations.unvalued_days = 0
                then portfolio_return_months.time_weighted_return
        end as time_weighted_return,
        portfolio_return_months.volatility,
        case
            when portfolio_valuations.unvalued_days = 0
                then portfolio_return_months.max_drawdown
        end as max_drawdown,
        count(
            case when portfolio_valuations.unvalued_days > 0 then 1 end
        ) over (
            partition by portfolio_valuations.portfolio_id
            order by portfolio_valuations.month_start
            rows between unbounded preceding and current row
        ) as unvalued_months_so_far
    from portfolio_valuations
    left join portfolio_return_months
        on
            portfolio_valuations.portfolio_id
            = portfolio_return_months.portfolio_id
            and portfolio_valuations.month_start
            = portfolio_return_months.month_start
    where
        portfolio_return_months.return_days is not null
        or portfolio_valuations.unvalued_days > 0
),

benchmark_wealth as (
    select
        month_start,
        trade_date,
        daily_return,
        {{ finks.product('1 + daily_return', over='
            partition by month_start
            order by trade_date
            rows between unbounded preceding and current row
        ') }} as wealth_index
    from benchmark_returns
),

benchmark_drawdowns as (
    select
        month_start,
        daily_return,
        1 - wealth_index / greatest(1.0, max(wealth_index) over (
            partition by month_start
            order by trade_date
            rows between unbounded preceding and current row
        )) as drawdown
    from benchmark_wealth
),

benchmark_months as (
    select
        month_start,
        count(*) as return_days,
        {{ finks.product('1 + daily_return') }} - 1 as time_weighted_return,
        stddev_samp(daily_return)
        * sqrt({{ var('trading_days_per_year') }}) as volatility,
        max(drawdown) as max_drawdown
    from benchmark_drawdowns
    group by month_start
),

joined as (
    select
        portfolio_months.portfolio_id,
        portfolio_months.month_start,
        portfolio_months.return_days,
        portfolio_months.unvalued_days,
        portfolio_months.time_weighted_return,
        case
            when portfolio_months.unvalued_months_so_far = 0
                then
                    {{ finks.product(
                        '1 + portfolio_months.time_weighted_return', over='
                        partition by portfolio_months.portfolio_id
                        order by portfolio_months.month_start
                        rows between unbounded preceding and current row
                    ') }} - 1
        end as cumulative_return,
        portfolio_months.volatility,
        portfolio_months.max_drawdown,
        benchmark_months.time_weighted_return
            as benchmark_time_weighted_return,
        {{ finks.product('1 + benchmark_months.time_weighted_return', over='
            partition by portfolio_months.portfolio_id
            order by portfolio_months.month_start
            rows between unbounded preceding and current row
        ') }} - 1 as benchmark_cumulative_return,
        benchmark_months.volatility as benchmark_volatility,
        benchmark_months.max_drawdown as benchmark_max_drawdown
    from portfolio_months
    left join benchmark_months
        on portfolio_months.month_start = benchmark_months.month_start
),

final as (
    select
        portfolio_id,
        month_start,
        return_days,
        unvalued_days,
        time_weighted_return,
        cumulative_return,
        volatility,
        max_drawdown,
        benchmark_time_weighted_return,
        benchmark_cumulative_return,
        benchmark_volatility,
        benchmark_max_drawdown,
        time_weighted_return - benchmark_time_weighted_return
            as excess_return,
        '{{ finks.correlation_id() }}' as correlation_id,
        '{{ invocation_id }}' as dbt_invocation_id
    from joined
)

select * from final
