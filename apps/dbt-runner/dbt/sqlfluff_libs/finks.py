"""Stand-ins for the project's `finks.*` macros so sqlfluff can lint the models as written.

sqlfluff's jinja templater exposes this module as `finks`; each function renders the DuckDB
variant of the macro of the same name in ../macros. Keep them in step with the macros.
"""


def to_double(expr):
    return f"cast({expr} as double)"


def to_text(expr):
    return f"cast({expr} as varchar)"


def month_start(expr):
    return f"cast(date_trunc('month', {expr}) as date)"


def product(expr, over=None):
    return f"product({expr})" + (f" over ({over})" if over else "")


def last_value_ignore_nulls(expr, partition_by, order_by):
    return (
        f"last_value({expr} ignore nulls) over ("
        f"partition by {partition_by} order by {order_by} "
        "rows between unbounded preceding and current row)"
    )


def z_score(level):
    return {"95": -1.6448536269514722, "99": -2.3263478740408408}[str(level)]


def var_window_statistics(relation):
    return (
        "select portfolio_id, trade_date, market_value, observations, mean_return,"
        " stddev_return, quantile_05, quantile_01, tail_mean_95, tail_mean_99"
        f" from {relation}"
    )


def gold_mart_location(mart):
    return ""


def export_gold_mart():
    return "select 1"


def deduplicate_latest(relation, partition_by, order_by):
    return (
        f"select * from (select {relation}.*, row_number() over ("
        f"partition by {', '.join(partition_by)} order by {', '.join(order_by)}"
        f") as latest_rank from {relation}) as ranked where latest_rank = 1"
    )


def correlation_id():
    return "unset"
