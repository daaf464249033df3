{#-
    Per symbol and trading day. Returns are over the symbol's consecutive trading days;
    volatility is the sample standard deviation of log returns, annualised with
    sqrt(trading_days_per_year), and like the moving averages only defined once the window is full.
-#}
with

eod_prices as (
    select * from {{ ref('stg_fmp__eod_prices') }}
),

with_previous as (
    select
        symbol,
        trade_date,
        close_price,
        lag(close_price) over (
            partition by symbol
            order by trade_date
        ) as previous_close_price
    from eod_prices
),

returns as (
    select
        symbol,
        trade_date,
        close_price,
        previous_close_price,
        case
            when previous_close_price > 0
                then close_price / previous_close_price - 1
        end as simple_return,
        case
            when previous_close_price > 0 and close_price > 0
                then ln(close_price / previous_close_price)
        end as log_return
    from with_previous
),

windows as (
    select
        symbol,
        trade_date,
        close_price,
        simple_return,
        log_return,
        stddev_samp(log_return) over (
            partition by symbol order by trade_date
            rows between 19 preceding and current row
        ) as log_return_stddev_20d,
        count(log_return) over (
            partition by symbol order by trade_date
            rows between 19 preceding and current row
        ) as log_return_count_20d,
        stddev_samp(log_return) over (
            partition by symbol order by trade_date
            rows between 59 preceding and current row
        ) as log_return_stddev_60d,
        count(log_return) over (
            partition by symbol order by trade_date
            rows between 59 preceding and current row
        ) as log_return_count_60d,
        avg(close_price) over (
            partition by symbol order by trade_date
            rows between 49 preceding and current row
        ) as close_average_50d,
        count(close_price) over (
            partition by symbol order by trade_date
            rows between 49 preceding and current row
        ) as close_count_50d,
        avg(close_price) over (
            partition by symbol order by trade_date
            rows between 199 preceding and current row
        ) as close_average_200d,
        count(close_price) over (
            partition by symbol order by trade_date
            rows between 199 preceding and current row
        ) as close_count_200d,
        max(close_price) over (
            partition by symbol order by trade_date
            rows between unbounded preceding and current row
        ) as running_max_close
    from returns
),

final as (
    select
        symbol,
        trade_date,
        close_price,
        simple_return,
        log_return,
        case
            when log_return_count_20d = 20
                then log_return_stddev_20d
                    * sqrt({{ var('trading_days_per_year') }})
        end as volatility_20d,
        case
            when log_return_count_60d = 60
                then log_return_stddev_60d
                    * sqrt({{ var('trading_days_per_year') }})
        end as volatility_60d,
        case
            when close_count_50d = 50 then close_average_50d
        end as moving_average_50d,
        case
            when close_count_200d = 200 then close_average_200d
        end as moving_average_200d,
        close_price / running_max_close - 1 as drawdown
    from windows
)

select * from final
