{#-
    A split can be fetched again (a re-read after a lost bookmark); the latest ingestion of
    (symbol, split_date) wins.
-#}
with

source as (
    select * from {{ source('fmp', 'splits') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(split_date as date) as split_date,
        {{ finks.to_double('numerator') }} as numerator,
        {{ finks.to_double('denominator') }} as denominator,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['symbol', 'split_date'],
        ['ingested_at desc'],
    ) }}
),

final as (
    select
        symbol,
        split_date,
        numerator,
        denominator,
        ingested_at
    from deduplicated
)

select * from final
