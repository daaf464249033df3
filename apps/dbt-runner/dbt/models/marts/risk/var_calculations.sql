{{ config(
    external_location=finks.gold_mart_location('var_calculations')
) }}

{#-
    Per portfolio and trading day with a defined daily return, over the window of the
    var_window_days most recent defined returns ending at that day (n = observations used):
    q(a) = empirical (1 - a) quantile with linear interpolation (quantile_cont);
    historical VaR% = -q, ES% = -mean(r <= q); parametric VaR% = -(mean + z * stddev_samp).
    Amounts are the percentages times V(d). Every VaR is null until the window is full.
    A day without a return (the first, V(d_prev) <= 0, or unvalued: an unpriced holding on d or
    d_prev) is no observation and has no row: the window skips it rather than count it as 0 %.
    finks.var_window_statistics computes the window figures (a self-join on Athena, sliding
    windows on DuckDB; macros/risk.sql).
-#}
with

daily_summary as (
    select * from {{ ref('daily_portfolio_summary') }}
),

defined_returns as (
    select
        portfolio_id,
        trade_date,
        market_value,
        daily_return,
        row_number() over (
            partition by portfolio_id
            order by trade_date
        ) as return_number
    from daily_summary
    where daily_return is not null
),

window_statistics as (
    {{ finks.var_window_statistics('defined_returns') }}
),

percentages as (
    select
        window_statistics.portfolio_id,
        window_statistics.trade_date,
        window_statistics.market_value,
        window_statistics.observations,
        window_statistics.observations = {{ var('var_window_days') }}
            as is_window_full,
        -window_statistics.quantile_05 as historical_var_95_pct,
        -window_statistics.quantile_01 as historical_var_99_pct,
        -window_statistics.tail_mean_95 as expected_shortfall_95_pct,
        -window_statistics.tail_mean_99 as expected_shortfall_99_pct,
        -(
            window_statistics.mean_return
            + {{ finks.z_score(95) }} * window_statistics.stddev_return
        ) as parametric_var_95_pct,
        -(
            window_statistics.mean_return
            + {{ finks.z_score(99) }} * window_statistics.stddev_return
        ) as parametric_var_99_pct
    from window_statistics
),

final as (
    select
        portfolio_id,
        trade_date,
        market_value,
        observations,
        {%- for measure in [
            'historical_var_95', 'historical_var_99',
            'expected_shortfall_95', 'expected_shortfall_99',
            'parametric_var_95', 'parametric_var_99',
        ] %}
            case
                when is_window_full then {{ measure }}_pct
            end as {{ measure }}_pct,
            case
                when is_window_full then {{ measure }}_pct * market_value
            end as {{ measure }}_amount,
        {%- endfor %}
        '{{ finks.correlation_id() }}' as correlation_id,
        '{{ invocation_id }}' as dbt_invocation_id
    from percentages
)

select * from final
