with

source as (
    select * from {{ source('fmp', 'cash_flow_statements') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(period_end_date as date) as period_end_date,
        cast(fiscal_year as bigint) as fiscal_year,
        cast(fiscal_period as varchar) as fiscal_period,
        cast(reported_currency as varchar) as reported_currency,
        cast(filing_date as date) as filing_date,
        {{ finks.to_double('net_income') }} as net_income,
        {{ finks.to_double('operating_cash_flow') }} as operating_cash_flow,
        {{ finks.to_double('capital_expenditure') }} as capital_expenditure,
        {{ finks.to_double('free_cash_flow') }} as free_cash_flow,
        {{ finks.to_double('net_dividends_paid') }} as net_dividends_paid,
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
        net_income,
        operating_cash_flow,
        capital_expenditure,
        free_cash_flow,
        net_dividends_paid,
        ingested_at
    from deduplicated
)

select * from final
