with

source as (
    select * from {{ source('fmp', 'income_statements') }}
),

renamed as (
    select
        cast(symbol as varchar) as symbol,
        cast(period_end_date as date) as period_end_date,
        cast(fiscal_year as bigint) as fiscal_year,
        cast(fiscal_period as varchar) as fiscal_period,
        cast(reported_currency as varchar) as reported_currency,
        cast(filing_date as date) as filing_date,
        {{ finks.to_double('revenue') }} as revenue,
        {{ finks.to_double('cost_of_revenue') }} as cost_of_revenue,
        {{ finks.to_double('gross_profit') }} as gross_profit,
        {{ finks.to_double('operating_income') }} as operating_income,
        {{ finks.to_double('ebitda') }} as ebitda,
        {{ finks.to_double('net_income') }} as net_income,
        {{ finks.to_double('eps') }} as eps,
        {{ finks.to_double('eps_diluted') }} as eps_diluted,
        {{ finks.to_double('weighted_average_shs_out') }}
            as weighted_average_shs_out,
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
        revenue,
        cost_of_revenue,
        gross_profit,
        operating_income,
        ebitda,
        net_income,
        eps,
        eps_diluted,
        weighted_average_shs_out,
        ingested_at
    from deduplicated
)

select * from final
