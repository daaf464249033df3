{#-
    Positions per portfolio, symbol and trading day, rebuilt from transactions, plus one cash row
    per portfolio and day (symbol '$CASH', price 1). A transaction counts from the first trading
    day on or after its date. holdings = buys - sells up to and including the day;
    cash = deposits - withdrawals - sum(buy qty * price) + sum(sell qty * price) - fees, up to the
    day; securities are valued at the last close on or before the day.
-#}
with

transactions as (
    select * from {{ ref('stg_mongo__transactions') }}
),

eod_prices as (
    select * from {{ ref('stg_fmp__eod_prices') }}
),

trading_days as (
    select distinct trade_date from eod_prices
),

trading_day_spans as (
    select
        trade_date,
        lag(trade_date) over (order by trade_date) as previous_trade_date
    from trading_days
),

effective_transactions as (
    select
        transactions.portfolio_id,
        transactions.transaction_type,
        transactions.symbol,
        transactions.quantity,
        transactions.price,
        transactions.amount,
        trading_day_spans.trade_date
    from transactions
    inner join trading_day_spans
        on
            transactions.transaction_date <= trading_day_spans.trade_date
            and (
                trading_day_spans.previous_trade_date is null
                or transactions.transaction_date
                > trading_day_spans.previous_trade_date
            )
),

security_deltas as (
    select
        portfolio_id,
        symbol,
        trade_date,
        sum(
            case transaction_type
                when 'buy' then quantity
                when 'sell' then -quantity
                else 0
            end
        ) as quantity_delta,
        0 as external_flow
    from effective_transactions
    where transaction_type in ('buy', 'sell')
    group by portfolio_id, symbol, trade_date
),

cash_deltas as (
    select
        portfolio_id,
        '$CASH' as symbol,
        trade_date,
        sum(
            case transaction_type
                when 'deposit' then amount
                when 'withdrawal' then -amount
                when 'buy' then -quantity * price
                when 'sell' then quantity * price
                when 'fee' then -amount
                else 0
            end
        ) as quantity_delta,
        sum(
            case transaction_type
                when 'deposit' then amount
                when 'withdrawal' then -amount
                else 0
            end
        ) as external_flow
    from effective_transactions
    group by portfolio_id, trade_date
),

deltas as (
    select * from security_deltas
    union all
    select * from cash_deltas
),

portfolio_assets as (
    select
        portfolio_id,
        symbol,
        min(trade_date) as first_trade_date
    from deltas
    group by portfolio_id, symbol
),

portfolio_starts as (
    select
        portfolio_id,
        min(first_trade_date) as first_trade_date
    from portfolio_assets
    group by portfolio_id
),

position_days as (
    select
        portfolio_assets.portfolio_id,
        portfolio_assets.symbol,
        trading_days.trade_date
    from portfolio_assets
    inner join portfolio_starts
        on portfolio_assets.portfolio_id = portfolio_starts.portfolio_id
    inner join trading_days
        on portfolio_starts.first_trade_date <= trading_days.trade_date
),

symbol_days as (
    select
        symbols.symbol,
        trading_days.trade_date
    from (select distinct symbol from eod_prices) as symbols
    cross join trading_days
),

last_closes as (
    select
        symbol_days.symbol,
        symbol_days.trade_date,
        {{ finks.last_value_ignore_nulls(
            'eod_prices.close_price',
            'symbol_days.symbol',
            'symbol_days.trade_date'
        ) }} as close_price
    from symbol_days
    left join eod_prices
        on
            symbol_days.symbol = eod_prices.symbol
            and symbol_days.trade_date = eod_prices.trade_date
),

positions as (
    select
        position_days.portfolio_id,
        position_days.symbol,
        position_days.trade_date,
        sum(coalesce(deltas.quantity_delta, 0)) over (
            partition by position_days.portfolio_id, position_days.symbol
            order by position_days.trade_date
            rows between unbounded preceding and current row
        ) as quantity,
        coalesce(deltas.external_flow, 0) as external_flow
    from position_days
    left join deltas
        on
            position_days.portfolio_id = deltas.portfolio_id
            and position_days.symbol = deltas.symbol
            and position_days.trade_date = deltas.trade_date
),

final as (
    select
        positions.portfolio_id,
        positions.symbol,
        positions.trade_date,
        case
            when positions.symbol = '$CASH' then 'cash' else 'security'
        end as position_type,
        positions.quantity,
        case
            when positions.symbol = '$CASH' then 1.0
            else last_closes.close_price
        end as price,
        positions.quantity * case
            when positions.symbol = '$CASH' then 1.0
            else last_closes.close_price
        end as market_value,
        positions.external_flow
    from positions
    left join last_closes
        on
            positions.symbol = last_closes.symbol
            and positions.trade_date = last_closes.trade_date
)

select * from final
