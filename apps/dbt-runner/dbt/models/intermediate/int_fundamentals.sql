{#-
    Trailing twelve months per symbol and fiscal quarter: the sum of the last four quarterly
    values (Q1-Q4 rows only; FY rows are annual), defined only when four quarters exist.
    Margins are TTM numerator over TTM revenue.
-#}
with

income_statements as (
    select * from {{ ref('stg_fmp__income_statements') }}
),

cash_flow_statements as (
    select * from {{ ref('stg_fmp__cash_flow_statements') }}
),

quarters as (
    select
        income_statements.symbol,
        income_statements.period_end_date,
        income_statements.fiscal_year,
        income_statements.fiscal_period,
        income_statements.revenue,
        income_statements.gross_profit,
        income_statements.operating_income,
        income_statements.net_income,
        income_statements.eps,
        cash_flow_statements.free_cash_flow
    from income_statements
    left join cash_flow_statements
        on
            income_statements.symbol = cash_flow_statements.symbol
            and income_statements.period_end_date
            = cash_flow_statements.period_end_date
            and income_statements.fiscal_period
            = cash_flow_statements.fiscal_period
    where income_statements.fiscal_period in ('Q1', 'Q2', 'Q3', 'Q4')
),

trailing_sums as (
    select
        symbol,
        period_end_date,
        fiscal_year,
        fiscal_period,
        count(*) over trailing_year as quarters_in_window,
        sum(revenue) over trailing_year as ttm_revenue,
        sum(gross_profit) over trailing_year as ttm_gross_profit,
        sum(operating_income) over trailing_year as ttm_operating_income,
        sum(net_income) over trailing_year as ttm_net_income,
        sum(eps) over trailing_year as ttm_eps,
        sum(free_cash_flow) over trailing_year as ttm_free_cash_flow
    from quarters
    window trailing_year as (
        partition by symbol
        order by period_end_date
        rows between 3 preceding and current row
    )
),

final as (
    select
        symbol,
        period_end_date,
        fiscal_year,
        fiscal_period,
        ttm_revenue,
        ttm_gross_profit,
        ttm_operating_income,
        ttm_net_income,
        ttm_eps,
        ttm_free_cash_flow,
        ttm_gross_profit / nullif(ttm_revenue, 0) as ttm_gross_margin,
        ttm_operating_income / nullif(ttm_revenue, 0) as ttm_operating_margin,
        ttm_net_income / nullif(ttm_revenue, 0) as ttm_net_margin
    from trailing_sums
    where quarters_in_window = 4
)

select * from final
