{#-
    The latest profile per symbol; the history is the company_profiles snapshot.
-#}
with

source as (
    select * from {{ source('fmp', 'company_profiles') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(company_name as varchar) as company_name,
        cast(currency as varchar) as currency,
        cast(exchange_code as varchar) as exchange_code,
        cast(sector as varchar) as sector,
        cast(industry as varchar) as industry,
        cast(country as varchar) as country,
        cast(ceo as varchar) as ceo,
        {{ finks.to_double('beta') }} as beta,
        {{ finks.to_double('market_cap') }} as market_cap,
        cast(full_time_employees as bigint) as full_time_employees,
        cast(ipo_date as date) as ipo_date,
        cast(is_etf as boolean) as is_etf,
        cast(is_actively_trading as boolean) as is_actively_trading,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['symbol'],
        ['ingested_at desc'],
    ) }}
),

final as (
    select
        symbol,
        company_name,
        currency,
        exchange_code,
        sector,
        industry,
        country,
        ceo,
        beta,
        market_cap,
        full_time_employees,
        ipo_date,
        is_etf,
        is_actively_trading,
        ingested_at
    from deduplicated
)

select * from final
