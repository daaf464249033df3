{#-
    Every portfolio-day that holds a security (quantity <> 0) with no close on or before that
    day: a symbol outside the fetched universe (stg_fmp__eod_prices), or a day before the
    symbol's first close. One row per (portfolio_id, symbol, trade_date), so the result names
    what to fetch or correct. daily_portfolio_summary leaves those days' market value and
    returns NULL rather than value the holding at 0.

    Severity warn, not error: `dbt build` skips every node downstream of a failing test, so an
    error would hold back all marts of all portfolios over one unpriced symbol, while the marts
    already refuse to make up a value for the days it touches. The warning is in dbt's log, in
    the runner's exit message (it names warned tests) and its NodesWarned metric.
-#}
{{ config(severity='warn') }}

with

positions as (
    select * from {{ ref('int_positions_daily') }}
),

final as (
    select
        portfolio_id,
        symbol,
        trade_date,
        quantity
    from positions
    where
        position_type = 'security'
        and quantity <> 0
        and price is null
)

select * from final
