{#-
    Positions per portfolio, symbol and trading day from the position's first trade on, rebuilt
    from transactions, plus one cash row per portfolio and day from its first transaction on
    (symbol '$CASH', price 1). A transaction counts from the first trading day on or after its
    date. Transactions are real trades: actual shares at actual prices. The
    closes (FMP `full`) are split-adjusted to today's share basis, so holdings are expressed on
    that basis too: holdings(p, s, d) = sum over buys - sells up to d of quantity * F(s, t), where
    F(s, t) is the product of numerator / denominator of the symbol's splits dated after the
    transaction's date t and on or before the day its closes were last fetched (1 when there are
    none). Cash = deposits - withdrawals
    - sum(buy qty * price) + sum(sell qty * price) - fees, up to the day, with actual quantities
    and prices (a split changes neither). Securities are valued at the last close on or before
    the day; a symbol with none (not in stg_fmp__eod_prices, or a day before its first close)
    has price and market_value NULL, never 0: daily_portfolio_summary then leaves the
    portfolio-day unvalued, and tests/no_unpriced_holdings.sql names the rows.
-#}
with

transactions as (
    select * from {{ ref('stg_mongo__transactions') }}
),

eod_prices as (
    select * from {{ ref('stg_fmp__eod_prices') }}
),

latest_fetches as (
    {#- When each symbol's closes were last fetched: FMP's `full` closes are on
        the share basis of the day they are fetched. -#}
    select
        symbol,
        cast(max(ingested_at) as date) as fetched_on
    from eod_prices
    group by symbol
),

splits as (
    {#- Only the splits the closes already take in. FMP lists announced splits
        ahead of their ex-date: applied to the holdings before the closes take
        it in, one would multiply their value by its ratio. -#}
    select stg_fmp__splits.*
    from {{ ref('stg_fmp__splits') }} as stg_fmp__splits
    inner join latest_fetches
        on
            stg_fmp__splits.symbol = latest_fetches.symbol
            and stg_fmp__splits.split_date <= latest_fetches.fetched_on
),

split_factors as (
    {#- F(s, t) of each trade a later split touches (splits are few). -#}
    select
        transactions.transaction_id,
        {{ finks.product(
            'splits.numerator / splits.denominator'
        ) }} as split_factor
    from transactions
    inner join splits
        on
            transactions.symbol = splits.symbol
            and transactions.transaction_date < splits.split_date
    where transactions.transaction_type in ('buy', 'sell')
    group by transactions.transaction_id
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
        transactions.quantity
        * coalesce(split_factors.split_factor, 1.0) as adjusted_quantity,
        transactions.price,
        transactions.amount,
        trading_day_spans.trade_date
    from transactions
    left join split_factors
        on transactions.transaction_id = split_factors.transaction_id
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
                when 'buy' then adjusted_quantity
                when 'sell' then -adjusted_quantity
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

holding_spans as (
    {#- A quantity holds from one change to the next: the running sum runs over
        the changes only, not over every day of every position. A position
        starts on its first trade; before it its rows would all be zeros (half
        of a 10-year load's rows), which no mart needs. -#}
    select
        portfolio_id,
        symbol,
        trade_date as start_date,
        coalesce(
            lead(trade_date) over (
                partition by portfolio_id, symbol
                order by trade_date
            ),
            date '9999-12-31'
        ) as end_date,
        sum(quantity_delta) over (
            partition by portfolio_id, symbol
            order by trade_date
            rows between unbounded preceding and current row
        ) as quantity,
        external_flow
    from deltas
),

positions as (
    select
        holding_spans.portfolio_id,
        holding_spans.symbol,
        trading_days.trade_date,
        holding_spans.quantity,
        case
            when trading_days.trade_date = holding_spans.start_date
                then holding_spans.external_flow
            else 0
        end as external_flow
    from holding_spans
    inner join trading_days
        on
            holding_spans.start_date <= trading_days.trade_date
            and holding_spans.end_date > trading_days.trade_date
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
        {#- No close yet: NULL, so a sum over the day cannot pass the holding
            off as worth nothing. -#}
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
