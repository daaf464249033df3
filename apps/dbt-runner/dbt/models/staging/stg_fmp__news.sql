with

source as (
    select * from {{ source('fmp', 'news') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(url as varchar) as article_url,
        cast(published_at as timestamp) as published_at,
        cast(publisher as varchar) as publisher,
        cast(site as varchar) as site_name,
        cast(title as varchar) as title,
        cast(summary as varchar) as article_summary,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['symbol', 'article_url'],
        ['ingested_at desc'],
    ) }}
),

final as (
    select
        symbol,
        article_url,
        published_at,
        publisher,
        site_name,
        title,
        article_summary,
        ingested_at
    from deduplicated
)

select * from final
