from __future__ import annotations

import copy
import json

import validate_schemas
from bronze_samples import SAMPLE_DATES, bucket, envelope, write_sample_lake
from finks_silver import Lake, load_contract


def test_profile_reports_unknown_missing_and_changed_fields(contracts_json):
    contract = load_contract(contracts_json, "fmp.eod_prices")
    good = {"symbol": "A", "date": "2026-11-24", "open": 1, "high": 1, "low": 1, "close": 1, "volume": 1}
    lines = [
        envelope("fmp", "eod_prices", "r", "2026-11-24T00:00:00Z", 0, good),
        envelope("fmp", "eod_prices", "r", "2026-11-24T00:00:00Z", 1, {**good, "adjClose": 1.0}),
        envelope("fmp", "eod_prices", "r", "2026-11-24T00:00:00Z", 2, {**good, "close": "1.0", "symbol": None}),
        "not json",
    ]
    report = validate_schemas.drift_report(
        contract, ["2026-11-24"], "run", 1, validate_schemas.profile_lines(contract, lines)
    )
    assert report["drift"] is True
    assert report["records"] == 4 and report["unreadable_records"] == 1
    assert report["unknown_fields"] == [{"field": "adjClose", "records": 1}]
    assert report["missing_required_fields"] == [{"field": "symbol", "records": 1}]
    assert report["type_changes"] == [
        {"field": "close", "encoding": "json_number", "expected": ["number"], "observed": {"string": 1}}
    ]


def test_fields_the_contract_ignores_are_not_drift(contracts_json):
    document = copy.deepcopy(contracts_json)
    eod = next(c for c in document["contracts"] if c["id"] == "fmp.eod_prices")
    eod["ignored_fields"] = [{"field": "adjClose", "reason": "silver prices are split-adjusted"}]
    contract = load_contract(document, "fmp.eod_prices")
    good = {"symbol": "A", "date": "2026-11-24", "open": 1, "high": 1, "low": 1, "close": 1, "volume": 1}
    lines = [
        envelope("fmp", "eod_prices", "r", "2026-11-24T00:00:00Z", 0, {**good, "adjClose": 1.0}),
        envelope("fmp", "eod_prices", "r", "2026-11-24T00:00:00Z", 1, {**good, "adjClose": 1.0, "label": "x"}),
    ]
    report = validate_schemas.drift_report(
        contract, ["2026-11-24"], "run", 1, validate_schemas.profile_lines(contract, lines)
    )
    # Ignoring one field hides only that one: the other unknown field is still drift.
    assert report["unknown_fields"] == [{"field": "label", "records": 1}]
    assert report["drift"] is True
    assert load_contract(contracts_json, "fmp.eod_prices").ignored_fields == frozenset()


def test_no_drift_on_conforming_records(contracts_json):
    contract = load_contract(contracts_json, "mongodb.transactions")
    payload = {"_id": {"$oid": "6" * 24}, "portfolioId": "6" * 24, "type": "fee", "amount": {"$numberDecimal": "1"}, "ts": {"$date": 1}, "updatedAt": "2026-01-01T00:00:00Z"}
    profile = validate_schemas.profile_lines(contract, [envelope("mongodb", "transactions", "r", "2026-01-01T00:00:00Z", 0, payload)])
    assert validate_schemas.drift_report(contract, [], "run", 1, profile)["drift"] is False


def test_spark_job_reads_manifested_bronze_and_writes_the_report(spark, contracts_json, tmp_path, capsys, monkeypatch):
    from conftest import CONTRACTS_JSON

    write_sample_lake(tmp_path / "lake")
    monkeypatch.setattr("pyspark.sql.SparkSession.builder.getOrCreate", lambda *a, **k: spark)
    report_path = tmp_path / "reports" / "quotes.json"
    code = validate_schemas.main(
        [
            "validate_schemas.py",
            "--dataset=fmp.quotes",
            f"--dates={','.join(SAMPLE_DATES)}",
            "--run_id=20261126T010000Z-drift1",
            f"--contracts={CONTRACTS_JSON}",
            f"--bronze_root={bucket(tmp_path / 'lake', 'bronze')}",
            f"--report={report_path}",
            "--fail_on_drift=true",
        ]
    )
    assert code == 1
    report = json.loads(report_path.read_text())
    assert report == json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["records"] == 6 and report["bronze_parts"] == 1
    assert report["unknown_fields"] == [{"field": "unknownField", "records": 1}]
    assert Lake(str(bucket(tmp_path / "lake", "bronze"))).list("source=fmp/dataset=quotes/")
