{#-
    The local target's silver: each source table's Parquet (config.meta.silver_parquet, a glob
    relative to FINKS_SILVER_ROOT, the lake's silver folder; the runner sets it, and it is read
    only while running so the parse does not depend on the lake) is copied once per invocation
    into a DuckDB table named like its
    Glue table on Athena (`<silver_schema>.<identifier>`), so every staging model and source test
    reads a columnar table instead of re-listing and re-opening thousands of daily files (about
    20 source tests read eod_prices alone; see the README's benchmark). Runs as on-run-start.
    Athena reads the Glue tables the bronze-to-silver job maintains: nothing to do there.
-#}
{% macro load_silver() -%}
    {{ return(adapter.dispatch('load_silver', 'finks')()) }}
{%- endmacro %}

{% macro default__load_silver() -%}
    select 1 as silver_already_in_glue
{%- endmacro %}

{% macro duckdb__load_silver() -%}
    {%- if execute -%}
        {%- set silver_root = env_var('FINKS_SILVER_ROOT', '') -%}
        {%- if not silver_root -%}
            {%- do exceptions.raise_compiler_error(
                'FINKS_SILVER_ROOT is not set: the local target reads silver Parquet under it. '
                ~ 'Run dbt through the runner (npx nx run dbt-runner:build), or set it to the '
                ~ "lake's silver folder, e.g. <lake>/finks-local-silver-123456789012"
            ) -%}
        {%- endif -%}
        {%- set schemas = [] -%}
        {%- for source in graph.sources.values() if source.meta.get('silver_parquet') -%}
            {%- set relation = api.Relation.create(
                database=source.database,
                schema=source.schema,
                identifier=source.identifier,
            ) -%}
            {%- if source.schema not in schemas -%}
                {%- do run_query(
                    'create schema if not exists '
                    ~ adapter.quote(source.database) ~ '.' ~ adapter.quote(source.schema)
                ) -%}
                {%- do schemas.append(source.schema) -%}
            {%- endif -%}
            {%- set files = silver_root.rstrip('/') ~ '/' ~ source.meta['silver_parquet'] -%}
            {%- set found = run_query(
                "select count(*) from glob('" ~ files ~ "')"
            ).columns[0].values()[0] -%}
            {%- if found == 0 -%}
                {#- No stale copy from an earlier run: what reads this source fails and says so. -#}
                {%- do run_query('drop table if exists ' ~ relation) -%}
                {%- do log(
                    'no silver Parquet matches ' ~ files ~ ': ' ~ source.source_name ~ '.'
                    ~ source.name ~ ' is not loaded, so models and tests reading it fail',
                    info=true,
                ) -%}
            {%- else -%}
                {%- do run_query(
                    'create or replace table ' ~ relation ~ ' as select * from read_parquet('
                    ~ "'" ~ files ~ "', hive_partitioning = true, union_by_name = true)"
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as silver_loaded
{%- endmacro %}
