"""The checked conversions, one rule at a time (no Spark)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from finks_silver import Column, Reject, convert_record, convert_value, load_contract, parse_instant


@pytest.fixture(scope="module")
def patterns(contracts_json):
    return load_contract(contracts_json, "fmp.quotes").patterns


def col(encoding: str, type_: str, nullable: bool = True, allowed=None) -> Column:
    return Column("c", type_, nullable, "c", encoding, allowed)


def contract_column(contracts_json, contract_id: str, name: str) -> Column:
    return next(c for c in load_contract(contracts_json, contract_id).columns if c.name == name)


def code_of(column: Column, raw, patterns) -> str:
    with pytest.raises(Reject) as rejected:
        convert_value(column, raw, patterns)
    return rejected.value.code


def test_numbers(patterns):
    assert convert_value(col("json_number", "bigint"), 5, patterns) == 5
    assert convert_value(col("json_number", "bigint"), Decimal("5.0"), patterns) == 5
    assert code_of(col("json_number", "bigint"), Decimal("5.5"), patterns) == "invalid_value"
    assert code_of(col("json_number", "bigint"), 2**63, patterns) == "invalid_value"
    assert code_of(col("json_number", "double"), "5", patterns) == "invalid_type"
    assert code_of(col("json_number", "double"), True, patterns) == "invalid_type"
    assert code_of(col("json_number", "double"), float("nan"), patterns) == "invalid_value"
    assert convert_value(col("numeric_string", "bigint"), "2024", patterns) == 2024
    assert convert_value(col("numeric_string", "bigint"), "", patterns) is None
    assert code_of(col("numeric_string", "bigint", nullable=False), "", patterns) == "required"
    assert code_of(col("numeric_string", "bigint"), "12a", patterns) == "invalid_value"


def test_an_integer_beyond_a_double_is_a_rejected_value_not_a_crash(patterns):
    huge = 10**400  # json.loads gives a Python int; DuckDB reads an infinite double
    for column in (col("json_number", "bigint"), col("json_number", "double"), col("unix_seconds", "timestamp")):
        assert code_of(column, huge, patterns) == "invalid_value"
        assert code_of(column, -huge, patterns) == "invalid_value"
    assert code_of(col("json_number", "decimal(38,9)"), huge, patterns) == "invalid_value"


def test_dates_and_times(patterns):
    assert convert_value(col("iso_date", "date"), "2024-02-29", patterns) == dt.date(2024, 2, 29)
    assert code_of(col("iso_date", "date"), "2025-02-29", patterns) == "invalid_value"
    assert code_of(col("iso_date", "date"), "2025-02-01\n", patterns) == "invalid_value"
    assert convert_value(col("fmp_datetime", "timestamp"), "2025-10-30 18:04:43", patterns) == dt.datetime(2025, 10, 30, 18, 4, 43)
    assert convert_value(col("unix_seconds", "timestamp"), 0, patterns) == dt.datetime(1970, 1, 1)
    assert convert_value(col("unix_seconds", "timestamp"), Decimal("-0.0"), patterns) == dt.datetime(1970, 1, 1)
    assert code_of(col("unix_seconds", "timestamp"), Decimal("1.5"), patterns) == "invalid_value"
    # Unix seconds start at 1970 (the contract's unixSeconds() has min 0).
    assert code_of(col("unix_seconds", "timestamp"), -1, patterns) == "invalid_value"
    assert code_of(col("unix_seconds", "timestamp"), Decimal("-1.0"), patterns) == "invalid_value"
    assert parse_instant("2026-01-01T00:30:00.1234567+01:00") == dt.datetime(2025, 12, 31, 23, 30, 0, 123456)
    with pytest.raises(Reject):
        parse_instant("2026-01-01T00:30:00")


def test_mongo_values(patterns):
    oid = "65A1B2C3D4E5F60718293A4B"
    assert convert_value(col("mongo_object_id", "string"), {"$oid": oid}, patterns) == oid.lower()
    assert code_of(col("mongo_object_id", "string"), 12, patterns) == "invalid_type"
    date = col("mongo_date", "timestamp")
    assert convert_value(date, {"$date": {"$numberLong": "-1"}}, patterns) == dt.datetime(1969, 12, 31, 23, 59, 59, 999000)
    assert convert_value(date, {"$date": 1000}, patterns) == dt.datetime(1970, 1, 1, 0, 0, 1)
    assert code_of(date, 1000, patterns) == "invalid_type"
    number = col("mongo_number", "decimal(38,9)")
    assert convert_value(number, {"$numberDecimal": "0.0000000005"}, patterns) == Decimal("0.000000001")
    assert convert_value(number, {"$numberDecimal": "-0.0000000005"}, patterns) == Decimal("-0.000000001")
    assert convert_value(number, {"$numberDecimal": "12345678901234567890123456789"}, patterns) == Decimal("12345678901234567890123456789")
    assert code_of(number, {"$numberDecimal": "1e29"}, patterns) == "invalid_value"
    assert code_of(number, {"$numberDecimal": "1", "$numberInt": "1"}, patterns) == "invalid_type"


def test_years_below_100_are_refused_as_the_contract_does(patterns):
    # JavaScript's Date reads years 0-99 as 1900-1999, so the field specs refuse them.
    assert code_of(col("iso_date", "date"), "0099-01-02", patterns) == "invalid_value"
    assert code_of(col("iso_date", "date"), "0000-01-01", patterns) == "invalid_value"
    assert convert_value(col("iso_date", "date"), "0100-01-01", patterns) == dt.date(100, 1, 1)
    datetime = col("fmp_datetime", "timestamp")
    assert code_of(datetime, "0050-01-01 00:00:00", patterns) == "invalid_value"
    assert convert_value(datetime, "0100-01-01 00:00:00", patterns) == dt.datetime(100, 1, 1)


@pytest.mark.parametrize(
    ("contract_id", "column", "valid", "invalid"),
    [
        ("fmp.eod_prices", "symbol", ["AAPL", "BRK-B", "^GSPC", "SHOP.TO", "EURUSD=X"], ["AA PL", "", "-X", "AAPL\n", "\u00e9t\u00e9", "A" * 31]),
        ("fmp.news", "url", ["https://example.com/a?b=c#d", "http://a", "https://a.com/\u00fc"], ["ftp://example.com/e", "not a url", "http://", "https://a.com/ b", "https://a.com/\t", "https://a.com/\x7f", "HTTP://A.COM"]),
        ("mongodb.portfolios", "base_currency", ["CAD", "USD"], ["cad", "CA1", "CADX", "CA", "CAD\n"]),
    ],
)
def test_a_json_string_column_takes_only_what_its_pattern_matches(contracts_json, patterns, contract_id, column, valid, invalid):
    target = contract_column(contracts_json, contract_id, column)
    assert target.pattern is not None
    for value in valid:
        assert convert_value(target, value, patterns) == value
    for value in invalid:
        assert code_of(target, value, patterns) == "invalid_value", value
    assert code_of(target, 5, patterns) == "invalid_type"  # the type is checked first


def test_every_pattern_contracts_json_carries_compiles_in_python(contracts_json):
    # One that does not would raise re.error on every row and fail the Glue job.
    found = [c.get("pattern") for contract in contracts_json["contracts"] for c in contract["columns"]]
    found += [e.get("pattern") for e in contracts_json["encodings"].values()]
    patterns = {p for p in found if p is not None}
    assert len(patterns) > 5
    for pattern in patterns:
        re.compile(pattern, re.ASCII)


def test_allowed_values(patterns):
    period = col("json_string", "string", allowed=("FY", "Q1"))
    assert convert_value(period, "FY", patterns) == "FY"
    assert code_of(period, "Q5", patterns) == "invalid_value"


def test_a_record_lists_every_independent_reason(contracts_json):
    contract = load_contract(contracts_json, "fmp.eod_prices")
    line = '{"fetched_at": "nope", "run_id": "", "payload": {"symbol": 1, "date": "2026-11-24", "open": 1, "high": 1, "low": 1, "close": 1}}'
    _, reasons, failed, _ = convert_record(contract, line)
    assert [(r["path"], r["code"]) for r in reasons] == [
        ("fetched_at", "invalid_envelope"),
        ("run_id", "invalid_envelope"),
        ("symbol", "invalid_type"),
        ("volume", "required"),
    ]
    assert failed == {"ingested_at", "ingestion_run_id", "symbol", "volume"}
