with

source as (
    select * from {{ source('fmp', 'balance_sheets') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(period_end_date as date) as period_end_date,
        cast(fiscal_year as bigint) as fiscal_year,
        cast(fiscal_period as varchar) as fiscal_period,
        cast(reported_currency as varchar) as reported_currency,
        cast(filing_date as date) as filing_date,
        {{ finks.to_double('cash_and_cash_equivalents') }}
            as cash_and_cash_equivalents,
        {{ finks.to_double('total_current_assets') }} as total_current_assets,
        {{ finks.to_double('total_assets') }} as total_assets,
        {{ finks.to_double('total_current_liabilities') }}
            as total_current_liabilities,
        {{ finks.to_double('total_liabilities') }} as total_liabilities,
        {{ finks.to_double('total_debt') }} as total_debt,
        {{ finks.to_double('net_debt') }} as net_debt,
        {{ finks.to_double('total_stockholders_equity') }}
            as total_stockholders_equity,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

deduplicated as (
    {{ finks.deduplicate_latest(
        'renamed',
        ['symbol', 'period_end_date', 'fiscal_period'],
        ['ingested_at desc'],
    ) }}
),

final as (
    select
        symbol,
        period_end_date,
        fiscal_year,
        fiscal_period,
        reported_currency,
        filing_date,
        cash_and_cash_equivalents,
        total_current_assets,
        total_assets,
        total_current_liabilities,
        total_liabilities,
        total_debt,
        net_debt,
        total_stockholders_equity,
        ingested_at
    from deduplicated
)

select * from final
