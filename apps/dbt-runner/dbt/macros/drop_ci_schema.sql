{#-
    Drops a slim CI run's schema (a Glue database on Athena) with everything in it. Refuses any
    name without `_pr_` so a mistyped argument cannot drop a shared schema.
-#}
{% macro drop_ci_schema(schema_name) %}
    {%- if '_pr_' not in schema_name -%}
        {{ exceptions.raise_compiler_error(
            'drop_ci_schema only drops pull-request schemas (*_pr_*), not ' ~ schema_name
        ) }}
    {%- endif -%}
    {%- set relation = api.Relation.create(
        database=target.database, schema=schema_name
    ) -%}
    {% do adapter.drop_schema(relation) %}
    {% do log('dropped CI schema ' ~ schema_name, info=true) %}
{% endmacro %}
