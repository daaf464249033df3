"""The checked conversions, one rule at a time (no Spark)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finks_silver import Column, Reject, convert_record, convert_value, load_contract, parse_instant


@pytest.fixture(scope="module")
def patterns(contracts_json):
    return load_contract(contracts_json, "fmp.quotes").patterns


def col(encoding: str, type_: str, nullable: bool = True, allowed=None) -> Column:
    return Column("c", type_, nullable, "c", encoding, allowed)


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


def test_dates_and_times(patterns):
    assert convert_value(col("iso_date", "date"), "2024-02-29", patterns) == dt.date(2024, 2, 29)
    assert code_of(col("iso_date", "date"), "2025-02-29", patterns) == "invalid_value"
    assert code_of(col("iso_date", "date"), "2025-02-01\n", patterns) == "invalid_value"
    assert convert_value(col("fmp_datetime", "timestamp"), "2025-10-30 18:04:43", patterns) == dt.datetime(2025, 10, 30, 18, 4, 43)
    assert convert_value(col("unix_seconds", "timestamp"), 0, patterns) == dt.datetime(1970, 1, 1)
    assert code_of(col("unix_seconds", "timestamp"), Decimal("1.5"), patterns) == "invalid_value"
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
