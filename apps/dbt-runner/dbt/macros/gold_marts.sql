{#-
    Gold marts live in the lake's gold zone, one folder per mart (`mart=<name>/`, from
    @finks/lake-paths' goldMartPrefix). The runner passes the folders ({mart name: local folder
    or s3:// URI}) on Athena in the `gold_mart_locations` var, since the models' configs
    (external_location) need them while parsing; locally in FINKS_GOLD_MART_LOCATIONS (JSON),
    read only while running so the parse does not depend on the lake. Without either (slim CI,
    ad-hoc runs) marts stay inside the warehouse only.
-#}

{#- Athena: the table's data lives in the mart folder (config external_location). -#}
{% macro gold_mart_location(mart) -%}
    {%- set location = var('gold_mart_locations', {}).get(mart) -%}
    {%- if location or (execute is defined and not execute) -%}
        {{- return(location) -}}
    {%- endif -%}
    {{- return(fromjson(env_var('FINKS_GOLD_MART_LOCATIONS', '{}')).get(mart)) -}}
{%- endmacro %}

{#- Post-hook of every mart: DuckDB copies the table to Parquet in its gold folder. -#}
{% macro export_gold_mart() -%}
    {{ return(adapter.dispatch('export_gold_mart', 'finks')()) }}
{%- endmacro %}

{% macro default__export_gold_mart() -%}
    {#- Athena wrote the table into its external_location already. -#}
    select 1 as gold_mart_already_in_place
{%- endmacro %}

{% macro duckdb__export_gold_mart() -%}
    {%- set folder = finks.gold_mart_location(this.identifier) -%}
    {%- if folder -%}
        copy (select * from {{ this }})
        to '{{ folder.rstrip("/") }}/{{ this.identifier }}.parquet' (format parquet)
    {%- else -%}
        select 1 as gold_mart_not_exported
    {%- endif -%}
{%- endmacro %}
