{#- Standard normal quantiles for parametric VaR, fixed by the issue's definition. -#}
{% macro z_score(level) -%}
    {%- set z = {'95': -1.6448536269514722, '99': -2.3263478740408408} -%}
    {{- return(z[level | string]) -}}
{%- endmacro %}

{#-
    The empirical quantile of `value` at `probability` with linear interpolation, as DuckDB's
    quantile_cont and numpy's default compute it, from a row rank `rank_column` (1 = smallest)
    and the window size `count_column`: h = (n - 1) p, q = x[floor h] + (h - floor h)
    (x[floor h + 1] - x[floor h]). Written with plain aggregates so Athena computes it exactly too
    (Trino only has approx_percentile).
-#}
{% macro interpolated_quantile(value, rank_column, count_column, probability) -%}
    {%- set h -%}(({{ count_column }} - 1) * {{ probability }}){%- endset -%}
    (
        max(case when {{ rank_column }} = floor({{ h }}) + 1 then {{ value }} end)
        + ({{ h }} - floor({{ h }}))
        * coalesce(
            max(
                case when {{ rank_column }} = floor({{ h }}) + 2 then {{ value }} end
            )
            - max(case when {{ rank_column }} = floor({{ h }}) + 1 then {{ value }} end),
            0
        )
    )
{%- endmacro %}

{#-
    The same quantile from the `length` smallest values of the window, ascending (a list, 1-based):
    the identical arithmetic as interpolated_quantile, so both give the same double.
-#}
{% macro interpolated_quantile_from_smallest(smallest, count_column, probability) -%}
    {%- set h -%}(({{ count_column }} - 1) * {{ probability }}){%- endset -%}
    {%- set low -%}cast(floor({{ h }}) as bigint){%- endset -%}
    (
        {{ smallest }}[{{ low }} + 1]
        + ({{ h }} - floor({{ h }}))
        * coalesce(
            {{ smallest }}[{{ low }} + 2] - {{ smallest }}[{{ low }} + 1],
            0
        )
    )
{%- endmacro %}

{#-
    Per row of `relation` (portfolio_id, trade_date, market_value, daily_return and
    return_number, the portfolio's 1-based count of defined returns), over the window of the
    var_window_days most recent returns ending there: observations, mean_return, stddev_return,
    quantile_05 / quantile_01 (the interpolated quantile) and tail_mean_95 / tail_mean_99 (the
    mean of the returns <= that quantile). One select statement.
-#}
{% macro var_window_statistics(relation) -%}
    {{ return(adapter.dispatch('var_window_statistics', 'finks')(relation)) }}
{%- endmacro %}

{#-
    Standard SQL (Athena): each window's rows by a self-join, ranked, then aggregated. The join
    makes var_window_days rows per portfolio-day.
-#}
{% macro default__var_window_statistics(relation) -%}
    with

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
        from {{ relation }} as window_end
        inner join {{ relation }} as observation
            on
                window_end.portfolio_id = observation.portfolio_id
                and observation.return_number
                between window_end.return_number
                - {{ var('var_window_days') }} + 1
                and window_end.return_number
    ),

    quantiles as (
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
                    when windows.daily_return <= quantiles.quantile_05
                        then windows.daily_return
                end
            ) as tail_mean_95,
            avg(
                case
                    when windows.daily_return <= quantiles.quantile_01
                        then windows.daily_return
                end
            ) as tail_mean_99
        from windows
        inner join quantiles
            on
                windows.portfolio_id = quantiles.portfolio_id
                and windows.trade_date = quantiles.trade_date
        group by windows.portfolio_id, windows.trade_date
    )

    select
        quantiles.portfolio_id,
        quantiles.trade_date,
        quantiles.market_value,
        quantiles.observations,
        quantiles.mean_return,
        quantiles.stddev_return,
        quantiles.quantile_05,
        quantiles.quantile_01,
        tail_means.tail_mean_95,
        tail_means.tail_mean_99
    from quantiles
    inner join tail_means
        on
            quantiles.portfolio_id = tail_means.portfolio_id
            and quantiles.trade_date = tail_means.trade_date
{%- endmacro %}

{#-
    DuckDB: one pass of sliding windows (rows between n - 1 preceding and current row) instead
    of the self-join, which spent most of the mart's time building and ranking 250 rows per
    portfolio-day. min(x, k) over the window gives its k smallest returns in order, enough for
    both quantiles (k covers floor((n - 1) p) + 2 with one to spare), and the same interpolation
    arithmetic keeps them bit-identical; the tail means filter the window's list of returns.
-#}
{% macro duckdb__var_window_statistics(relation) -%}
    {%- set window_days = var('var_window_days') | int -%}
    {%- set smallest_05 = ((window_days - 1) * 0.05) | int + 3 -%}
    {%- set smallest_01 = ((window_days - 1) * 0.01) | int + 3 -%}
    select
        portfolio_id,
        trade_date,
        market_value,
        observations,
        mean_return,
        stddev_return,
        quantile_05,
        quantile_01,
        list_avg(
            list_filter(window_returns, lambda r: r <= quantile_05)
        ) as tail_mean_95,
        list_avg(
            list_filter(window_returns, lambda r: r <= quantile_01)
        ) as tail_mean_99
    from (
        select
            portfolio_id,
            trade_date,
            market_value,
            observations,
            mean_return,
            stddev_return,
            window_returns,
            {{ finks.interpolated_quantile_from_smallest(
                'smallest_returns_05', 'observations', 0.05
            ) }} as quantile_05,
            {{ finks.interpolated_quantile_from_smallest(
                'smallest_returns_01', 'observations', 0.01
            ) }} as quantile_01
        from (
            select
                portfolio_id,
                trade_date,
                market_value,
                count(*) over return_window as observations,
                avg(daily_return) over return_window as mean_return,
                stddev_samp(daily_return) over return_window as stddev_return,
                min(daily_return, {{ smallest_05 }}) over return_window
                    as smallest_returns_05,
                min(daily_return, {{ smallest_01 }}) over return_window
                    as smallest_returns_01,
                list(daily_return) over return_window as window_returns
            from {{ relation }}
            window return_window as (
                partition by portfolio_id
                order by return_number
                rows between {{ window_days - 1 }} preceding and current row
            )
        ) as return_windows
    ) as return_quantiles
{%- endmacro %}
