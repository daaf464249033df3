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
