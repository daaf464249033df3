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
        cast(ingested_at as timestamp) as ingested_at,
        row_number() over (
            partition by symbol, trade_date
            order by ingested_at desc
        ) as ingestion_rank
    from source
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
    from renamed
    where ingestion_rank = 1
)

select * from final
