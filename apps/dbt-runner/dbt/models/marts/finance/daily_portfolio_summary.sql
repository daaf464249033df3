{{ config(
    external_location=finks.gold_mart_location('daily_portfolio_summary')
) }}

{#-
    V(p, d) = cash + sum(holdings * last close on or before d); F(p, d) = deposits - withdrawals
    on d; P&L = V(d) - V(d_prev) - F(d); r = P&L / V(d_prev), defined only when V(d_prev) > 0.
    d_prev is the portfolio's previous trading day. V(d) is NULL when a security held on d has
    no close yet (unpriced_holdings > 0): sum() would skip it and report a made-up loss. P&L
    and r are then NULL on d and on the next day. See _marts.yml.
-#}
with

positions as (
    select * from {{ ref('int_positions_daily') }}
),

daily_values as (
    select
        portfolio_id,
        trade_date,
        sum(market_value) as priced_value,
        sum(case when position_type = 'cash' then market_value else 0 end)
            as cash,
        sum(external_flow) as external_flow,
        count(
            case
                when position_type = 'security' and quantity <> 0 then symbol
            end
        ) as number_of_holdings,
        count(
            case
                when
                    position_type = 'security'
                    and quantity <> 0
                    and price is null
                    then symbol
            end
        ) as unpriced_holdings,
        max(
            case when position_type = 'security' then market_value end
        ) as largest_position_value
    from positions
    group by portfolio_id, trade_date
),

valued_days as (
    select
        portfolio_id,
        trade_date,
        case when unpriced_holdings = 0 then priced_value end as market_value,
        cash,
        external_flow,
        number_of_holdings,
        unpriced_holdings,
        largest_position_value
    from daily_values
),

with_previous as (
    select
        portfolio_id,
        trade_date,
        market_value,
        cash,
        external_flow,
        number_of_holdings,
        unpriced_holdings,
        largest_position_value,
        lag(market_value) over (
            partition by portfolio_id
            order by trade_date
        ) as previous_market_value
    from valued_days
),

final as (
    select
        portfolio_id,
        trade_date,
        market_value,
        cash,
        external_flow,
        previous_market_value,
        market_value - previous_market_value - external_flow as daily_pnl,
        case
            when previous_market_value > 0
                then
                    (market_value - previous_market_value - external_flow)
                    / previous_market_value
        end as daily_return,
        number_of_holdings,
        unpriced_holdings,
        case
            when market_value > 0 and number_of_holdings > 0
                then largest_position_value / market_value
        end as largest_weight,
        '{{ finks.correlation_id() }}' as correlation_id,
        '{{ invocation_id }}' as dbt_invocation_id
    from with_previous
)

select * from final
