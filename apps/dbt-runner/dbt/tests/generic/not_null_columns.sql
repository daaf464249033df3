{#-
    Fails with one row per column of `columns` that holds a null, naming it and counting the
    rows. One scan checks all of a table's required columns: the silver sources have about 80,
    and a `not_null` test per column cost a query and ~80 ms of dbt's own work each (issue #7).
-#}
{% test not_null_columns(model, columns) %}
    with null_counts as (
        select
        {%- for column in columns %}
            count(*) - count({{ adapter.quote(column) }}) as {{ adapter.quote(column) }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
    )

    {% for column in columns -%}
    select '{{ column }}' as column_name, {{ adapter.quote(column) }} as null_rows
    from null_counts
    where {{ adapter.quote(column) }} > 0
    {{ "union all" if not loop.last }}
    {% endfor %}
{% endtest %}
