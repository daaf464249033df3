{#-
    Silver is append-only: every fetch of a key (or every version of a Mongo document) is a new
    row. Staging keeps one row per key, the first by `order_by` (e.g. ['ingested_at desc'] keeps
    the latest fetch). Used as the body of a staging model's dedupe CTE:

        deduplicated as (
            {{ finks.deduplicate_latest('renamed', ['symbol', 'trade_date'], ['ingested_at desc']) }}
        ),

    The result keeps `latest_rank` (always 1): Trino has no `select * exclude`, so the model's
    final CTE names the columns it keeps instead. Same SQL on DuckDB and Athena, no dispatch.
-#}
{% macro deduplicate_latest(relation, partition_by, order_by) -%}
    {%- if partition_by is string or order_by is string -%}
        {{ exceptions.raise_compiler_error(
            'deduplicate_latest takes lists of columns, e.g. [\'symbol\'] and '
            ~ '[\'ingested_at desc\'], not strings'
        ) }}
    {%- endif -%}
    select *
    from (
        select
            {{ relation }}.*,
            row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by {{ order_by | join(', ') }}
            ) as latest_rank
        from {{ relation }}
    ) as ranked
    where latest_rank = 1
{%- endmacro %}
