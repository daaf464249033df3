with

source as (
    select * from {{ source('fmp', 'quotes') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(quoted_at as timestamp) as quoted_at,
        {{ finks.to_double('price') }} as price,
        {{ finks.to_double('change_percentage') }} as change_percentage,
        {{ finks.to_double('change') }} as price_change,
        cast(volume as bigint) as volume,
        {{ finks.to_double('day_low') }} as day_low,
        {{ finks.to_double('day_high') }} as day_high,
        {{ finks.to_double('open') }} as open_price,
        {{ finks.to_double('previous_close') }} as previous_close,
        {{ finks.to_double('market_cap') }} as market_cap,
        cast(exchange_code as varchar) as exchange_code,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['symbol', 'quoted_at'],
        ['ingested_at desc'],
    ) }}
),

final as (
    select
        symbol,
        quoted_at,
        price,
        change_percentage,
        price_change,
        volume,
        day_low,
        day_high,
        open_price,
        previous_close,
        market_cap,
        exchange_code,
        ingested_at
    from deduplicated
)

select * from final
