{#-
    A stock split changes the number of shares, not their value: on the ex-date of a split of a
    symbol a portfolio holds, a daily return beyond +-50 % without an external flow means the
    holdings and the closes are on different share bases (issue #4). Returns one row per
    offending portfolio-day; the split dates come from the data (stg_fmp__splits).
-#}
with

summary as (
    select * from {{ ref('daily_portfolio_summary') }}
),

positions as (
    select * from {{ ref('int_positions_daily') }}
),

splits as (
    select * from {{ ref('stg_fmp__splits') }}
),

held_on_split_dates as (
    select distinct
        positions.portfolio_id,
        positions.trade_date
    from positions
    inner join splits
        on
            positions.symbol = splits.symbol
            and positions.trade_date = splits.split_date
    where positions.position_type = 'security' and positions.quantity > 0
),

final as (
    select
        summary.portfolio_id,
        summary.trade_date,
        summary.daily_return,
        summary.external_flow
    from summary
    inner join held_on_split_dates
        on
            summary.portfolio_id = held_on_split_dates.portfolio_id
            and summary.trade_date = held_on_split_dates.trade_date
    where summary.external_flow = 0 and abs(summary.daily_return) > 0.5
)

select * from final
