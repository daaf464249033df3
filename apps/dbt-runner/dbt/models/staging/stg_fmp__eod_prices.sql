{#-
    A table, not a view like the other staging models: several models and tests select from it,
    and a view would redo the cast and the dedupe window for each (see the README's benchmark).
-#}
{{ config(materialized='table') }}

{#-
    A day can be re-ingested; the latest ingestion of (symbol, trade_date) wins.
-#}
with

source as (
    select * from {{ source('fmp', 'eod_prices') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(trade_date as date) as trade_date,
        {{ finks.to_double('open') }} as open_price,
        {{ finks.to_double('high') }} as high_price,
        {{ finks.to_double('low') }} as low_price,
        {{ finks.to_double('close') }} as close_price,
        cast(volume as bigint) as volume,
        {{ finks.to_double('vwap') }} as vwap,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['symbol', 'trade_date'],
        ['ingested_at desc'],
    ) }}
),

final as (
    select
        symbol,
        trade_date,
        open_price,
        high_price,
        low_price,
        close_price,
        volume,
        vwap,
        ingested_at
    from deduplicated
)

select * from final
