"""Stand-ins for dbt's cross-database macros (`dbt.<macro>`) so sqlfluff can lint the models.

sqlfluff's jinja templater exposes this module as `dbt`; each function renders what dbt-duckdb's
`duckdb__<macro>` renders, so the linted SQL is the local target's. Only the macros the models
call are here.
"""


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"({from_date_or_timestamp} + cast({interval} as bigint) * interval 1 {datepart})"
