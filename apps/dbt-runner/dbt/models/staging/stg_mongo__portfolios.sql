{#-
    Each change to a portfolio lands as a new version; the latest (updated_at)
    wins.
-#}
with

source as (
    select * from {{ source('mongodb', 'portfolios') }}
),

renamed as (
    select
        cast(id as varchar) as portfolio_id,
        cast(name as varchar) as portfolio_name,
        cast(base_currency as varchar) as base_currency,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['portfolio_id'],
        ['updated_at desc', 'ingested_at desc'],
    ) }}
),

final as (
    select
        portfolio_id,
        portfolio_name,
        base_currency,
        created_at,
        updated_at,
        ingested_at
    from deduplicated
)

select * from final
