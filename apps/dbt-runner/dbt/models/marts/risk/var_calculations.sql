{{ config(
    external_location=finks.gold_mart_location('var_calculations')
) }}

{#-
    Per portfolio and trading day with a defined daily return, over the window of the
    var_window_days most recent defined returns ending at that day (n = observations used):
    q(a) = empirical (1 - a) quantile with linear interpolation (quantile_cont);
    historical VaR% = -q, ES% = -mean(r <= q); parametric VaR% = -(mean + z * stddev_samp).
    Amounts are the percentages times V(d). Every VaR is null until the window is full.
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

windows as (
    select
        window_end.portfolio_id,
        window_end.trade_date,
        window_end.market_value,
        observation.daily_return,
        row_number() over (
            partition by window_end.portfolio_id, window_end.trade_date
            order by observation.daily_return
        ) as return_rank,
        count(*) over (
            partition by window_end.portfolio_id, window_end.trade_date
        ) as observations
    from defined_returns as window_end
    inner join defined_returns as observation
        on
            window_end.portfolio_id = observation.portfolio_id
            and observation.return_number
            between window_end.return_number
            - {{ var('var_window_days') }} + 1
            and window_end.return_number
),

window_statistics as (
    select
        portfolio_id,
        trade_date,
        market_value,
        observations,
        avg(daily_return) as mean_return,
        stddev_samp(daily_return) as stddev_return,
        {{ finks.interpolated_quantile(
            'daily_return', 'return_rank', 'observations', 0.05
        ) }} as quantile_05,
        {{ finks.interpolated_quantile(
            'daily_return', 'return_rank', 'observations', 0.01
        ) }} as quantile_01
    from windows
    group by portfolio_id, trade_date, market_value, observations
),

tail_means as (
    select
        windows.portfolio_id,
        windows.trade_date,
        avg(
            case
                when windows.daily_return <= window_statistics.quantile_05
                    then windows.daily_return
            end
        ) as tail_mean_95,
        avg(
            case
                when windows.daily_return <= window_statistics.quantile_01
                    then windows.daily_return
            end
        ) as tail_mean_99
    from windows
    inner join window_statistics
        on
            windows.portfolio_id = window_statistics.portfolio_id
            and windows.trade_date = window_statistics.trade_date
    group by windows.portfolio_id, windows.trade_date
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
        -tail_means.tail_mean_95 as expected_shortfall_95_pct,
        -tail_means.tail_mean_99 as expected_shortfall_99_pct,
        -(
            window_statistics.mean_return
            + {{ finks.z_score(95) }} * window_statistics.stddev_return
        ) as parametric_var_95_pct,
        -(
            window_statistics.mean_return
            + {{ finks.z_score(99) }} * window_statistics.stddev_return
        ) as parametric_var_99_pct
    from window_statistics
    inner join tail_means
        on
            window_statistics.portfolio_id = tail_means.portfolio_id
            and window_statistics.trade_date = tail_means.trade_date
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
        '{{ var("correlation_id") }}' as correlation_id,
        '{{ invocation_id }}' as dbt_invocation_id
    from percentages
)

select * from final
