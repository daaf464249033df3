{#-
    A table, not a view like the other staging models: several models and tests select from it,
    and a view would redo the cast and the dedupe window for each (see the README's benchmark).
-#}
{{ config(materialized='table') }}

{#-
    Each change to a transaction lands as a new version; the latest (updated_at)
    wins.
-#}
with

source as (
    select * from {{ source('mongodb', 'transactions') }}
),

renamed as (
    select
        cast(id as varchar) as transaction_id,
        cast(portfolio_id as varchar) as portfolio_id,
        cast(transaction_type as varchar) as transaction_type,
        cast(symbol as varchar) as symbol,
        {{ finks.to_double('quantity') }} as quantity,
        {{ finks.to_double('price') }} as price,
        {{ finks.to_double('amount') }} as amount,
        cast(transacted_at as timestamp) as transacted_at,
        cast(cast(transacted_at as timestamp) as date) as transaction_date,
        cast(updated_at as timestamp) as updated_at,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['transaction_id'],
        ['updated_at desc', 'ingested_at desc'],
    ) }}
),

final as (
    select
        transaction_id,
        portfolio_id,
        transaction_type,
        symbol,
        quantity,
        price,
        amount,
        transacted_at,
        transaction_date,
        updated_at,
        ingested_at
    from deduplicated
)

select * from final
