{#-
    What DuckDB and Athena (Trino) spell differently, behind adapter.dispatch. Models call
    finks.<macro>(...); the duckdb__ / athena__ variants hold the dialect.
-#}

{#- Last non-null value of expr in the window, e.g. the last close on or before a day. -#}
{% macro last_value_ignore_nulls(expr, partition_by, order_by) -%}
    {{ return(adapter.dispatch('last_value_ignore_nulls', 'finks')(expr, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__last_value_ignore_nulls(expr, partition_by, order_by) -%}
    last_value({{ expr }} ignore nulls) over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}

{% macro athena__last_value_ignore_nulls(expr, partition_by, order_by) -%}
    last_value({{ expr }}) ignore nulls over (
        partition by {{ partition_by }}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}

{#- Cast to a 64-bit float: DuckDB's double, Trino's double (the default is standard SQL). -#}
{% macro to_double(expr) -%}
    {{ return(adapter.dispatch('to_double', 'finks')(expr)) }}
{%- endmacro %}

{% macro default__to_double(expr) -%}
    cast({{ expr }} as double)
{%- endmacro %}

{#- Cast to text: DuckDB's varchar, Trino's varchar; Athena DDL types differ from DML ones. -#}
{% macro to_text(expr) -%}
    {{ return(adapter.dispatch('to_text', 'finks')(expr)) }}
{%- endmacro %}

{% macro default__to_text(expr) -%}
    cast({{ expr }} as varchar)
{%- endmacro %}

{#- The month a day belongs to, as a date (first of the month). -#}
{% macro month_start(expr) -%}
    {{ return(adapter.dispatch('month_start', 'finks')(expr)) }}
{%- endmacro %}

{% macro default__month_start(expr) -%}
    cast(date_trunc('month', {{ expr }}) as date)
{%- endmacro %}

{% macro athena__month_start(expr) -%}
    date_trunc('month', {{ expr }})
{%- endmacro %}

{#-
    The product of expr over a group, or over a window when `over` holds its specification
    (`partition by … order by … rows …`): Athena's form wraps each aggregate it uses in the window,
    so a caller passes the window here rather than writing `over (…)` after the call (which would
    window the outer scalar function: "exp is not an aggregate function"). DuckDB multiplies as
    written. Trino has no product aggregate, so Athena adds the logarithms of the absolute values,
    takes the sign from the count of negative factors, and gives 0 when a factor is 0 (zeros never
    reach ln, which is -infinity there in one engine and an error in another). NULL factors are
    skipped; none at all gives NULL, as DuckDB's product does.
-#}
{% macro product(expr, over=none) -%}
    {{ return(adapter.dispatch('product', 'finks')(expr, over)) }}
{%- endmacro %}

{% macro default__product(expr, over=none) -%}
    {%- set window = ' over (' ~ over ~ ')' if over else '' -%}
    (case
        when count_if({{ expr }} = 0){{ window }} > 0 then 0e0
        when count_if({{ expr }} < 0){{ window }} % 2 = 1
            then -exp(sum(ln(abs(nullif({{ expr }}, 0)))){{ window }})
        else exp(sum(ln(abs(nullif({{ expr }}, 0)))){{ window }})
    end)
{%- endmacro %}

{% macro duckdb__product(expr, over=none) -%}
    product({{ expr }}){{ ' over (' ~ over ~ ')' if over else '' }}
{%- endmacro %}
