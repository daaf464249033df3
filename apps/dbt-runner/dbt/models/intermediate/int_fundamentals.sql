{#-
    Trailing twelve months per symbol and fiscal quarter: the sum of the last four quarterly
    values (Q1-Q4 rows only; FY rows are annual). A row from the symbol's fourth quarterly
    income statement on; a TTM value is defined only when the window's four rows are
    consecutive quarters (see below) and every one of them has that measure, else NULL: a
    skipped quarter would make a 15-month sum, a missing cash flow a 3-quarter one.
    Margins are TTM numerator over TTM revenue.
-#}
{%- set measures = [
    'revenue', 'gross_profit', 'operating_income', 'net_income', 'eps',
    'free_cash_flow',
] -%}
with

income_statements as (
    select * from {{ ref('stg_fmp__income_statements') }}
),

cash_flow_statements as (
    select * from {{ ref('stg_fmp__cash_flow_statements') }}
),

quarters as (
    {#- Left join: a quarter without a cash flow statement still has its income
        statement; only its free cash flow is missing (NULL). -#}
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

trailing_windows as (
    select
        symbol,
        period_end_date,
        fiscal_year,
        fiscal_period,
        {%- for measure in measures %}
            count({{ measure }}) over trailing_year as {{ measure }}_quarters,
            sum({{ measure }}) over trailing_year as {{ measure }}_sum,
        {%- endfor %}
        count(*) over trailing_year as quarters_in_window,
        min(period_end_date) over trailing_year as first_period_end_date
    from quarters
    window trailing_year as (
        partition by symbol
        order by period_end_date
        rows between 3 preceding and current row
    )
),

consecutive_windows as (
    {#- Four consecutive quarters end three quarters apart: 9 months, 270-294
        days (52/53-week fiscal years have 13- and 14-week quarters). A skipped
        quarter puts the first end 12 months back (364 days or more). The cut
        is 11 months, about a month from either. -#}
    select
        *,
        quarters_in_window = 4
        and first_period_end_date
        > {{ dbt.dateadd('month', -11, 'period_end_date') }}
            as is_consecutive
    from trailing_windows
),

trailing_sums as (
    select
        symbol,
        period_end_date,
        fiscal_year,
        fiscal_period,
        {%- for measure in measures %}
            case
                when is_consecutive and {{ measure }}_quarters = 4
                    then {{ measure }}_sum
            end as ttm_{{ measure }},
        {%- endfor %}
        quarters_in_window
    from consecutive_windows
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
