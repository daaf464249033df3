from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import cleanse_market_data
from bronze_samples import RUN_1, RUN_2, RUN_3, SAMPLE_DATES, bucket, write_sample_lake
from finks_silver import Lake, load_contract, manifested_batches

RUN = "20261126T010000Z-clean1"


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lake")
    write_sample_lake(root)
    return root


def run(spark, contracts_json, lake: Path, dataset: str, run_id: str = RUN) -> dict:
    return cleanse_market_data.cleanse(
        spark,
        load_contract(contracts_json, dataset),
        SAMPLE_DATES,
        run_id,
        Lake(str(bucket(lake, "bronze"))),
        Lake(str(bucket(lake, "silver"))),
        Lake(str(bucket(lake, "quarantine"))),
    )


def silver_rows(spark, lake: Path, source: str, dataset: str) -> list[dict]:
    path = bucket(lake, "silver") / f"source={source}/dataset={dataset}"
    return [r.asDict() for r in spark.read.parquet(str(path)).orderBy("symbol", "trade_date").collect()]


def quarantined(lake: Path, source: str, dataset: str, day: str) -> list[dict]:
    """What the cleansing rejected from every bronze batch of `day`."""
    folder = bucket(lake, "quarantine") / f"source={source}/dataset={dataset}/dt={day}"
    return [
        json.loads(line)
        for part in sorted(folder.glob("run=*/stage=bronze_to_silver/part-*.ndjson.gz"))
        for line in gzip.decompress(part.read_bytes()).decode().splitlines()
    ]


def test_eod_prices_are_typed_deduplicated_and_partitioned(spark, contracts_json, lake):
    summary = run(spark, contracts_json, lake, "fmp.eod_prices")
    # Neither the unfinished run's record nor the empty line is read.
    assert summary["records_read"] == 39
    assert summary["quarantined"] == 22
    assert summary["silver_partitions"] == ["0100-01-04", "2026-11-23", "2026-11-24", "2026-11-25"]

    rows = silver_rows(spark, lake, "fmp", "eod_prices")
    by_key = {(r["symbol"], r["trade_date"].isoformat()): r for r in rows}
    assert len(rows) == len(by_key) == 15
    assert by_key[("AAPL", "2026-11-24")]["close"] == 11.5  # the later fetch wins
    assert by_key[("AAPL", "2026-11-24")]["ingestion_run_id"] == RUN_2
    assert by_key[("MSFT", "2026-11-25")]["ingestion_run_id"] == RUN_3  # run id breaks the tie
    assert by_key[("MSFT", "2026-11-24")]["volume"] == 5 and by_key[("MSFT", "2026-11-24")]["vwap"] is None
    assert all(r["dt"] == r["trade_date"] for r in rows)
    # Read as DuckDB reads them (bronze_samples.py): trailing commas taken, a surrogate pair
    # is one character.
    assert {"TRL1", "TRL2", "STR1"} <= {symbol for symbol, _ in by_key}
    assert by_key[("BIGV", "2026-11-24")]["vwap"] == 12345678901234567890.0
    # The edges the contract still takes: tickers with - and ^, the year 0100 (its own dt).
    assert {("BRK-B", "2026-11-24"), ("^GSPC", "2026-11-24"), ("OLD2", "0100-01-04")} <= set(by_key)
    # A key repeated in one object: the first occurrence counts, as in DuckDB.
    assert by_key[("DUP1", "2026-11-24")]["close"] == 10.5
    assert by_key[("DUP3", "2026-11-24")]["ingested_at"] == by_key[("TRL1", "2026-11-24")]["ingested_at"]
    assert ("DUP4", "2026-11-24") in by_key and ("DUP5", "2026-11-24") not in by_key

    silver_dir = bucket(lake, "silver") / "source=fmp/dataset=eod_prices"
    assert sorted(p.name for p in silver_dir.iterdir() if p.is_dir()) == [
        "dt=0100-01-04",
        "dt=2026-11-23",
        "dt=2026-11-24",
        "dt=2026-11-25",
    ]


def test_rejects_go_to_quarantine_with_reasons_and_raw_payload(spark, contracts_json, lake):
    run(spark, contracts_json, lake, "fmp.eod_prices")
    records = quarantined(lake, "fmp", "eod_prices", "2026-11-24")
    assert len(records) == 22
    reasons = {
        (r.get("payload") or {}).get("symbol") if isinstance(r.get("payload"), dict) else None: sorted(
            (x["path"], x["code"]) for x in r["reasons"]
        )
        for r in records
    }
    assert reasons["BAD1"] == [("low", "invariant")]  # reported at the required column
    assert reasons["BAD2"] == [("volume", "invalid_value")]
    assert reasons["BAD3"] == [("date", "invalid_value")]
    assert reasons["BAD4"] == [("close", "invalid_type")]
    assert reasons["BAD5"] == [("low", "invariant"), ("volume", "invariant")]
    assert reasons["BAD6"] == [("date", "invalid_value"), ("open", "invalid_type")]
    # The contract's ticker pattern (a surrogate pair is read as one character, and is no ticker
    # character) and years 0100-9999.
    for symbol in ("AA PL", "", "\u00e9t\u00e9", "SUR2\U0001f600"):
        assert reasons[symbol] == [("symbol", "invalid_value")], symbol
    assert reasons["OLD1"] == [("date", "invalid_value")]
    assert any(r.get("raw_line") == "this line is not json" for r in records)
    # The empty line is no record; a line of spaces is one that is not JSON (as in DuckDB).
    raw_lines = [r["raw_line"] for r in records if "raw_line" in r]
    assert "" not in raw_lines
    assert [sorted((x["path"], x["code"]) for x in r["reasons"]) for r in records if r.get("raw_line") == " \t"] == [
        [("", "invalid_json")]
    ]
    # Not finite (inf/nan in any spelling DuckDB takes) → invalid_value; kept as raw lines,
    # since they are not strict JSON. A lone surrogate escape is not JSON for DuckDB.
    raw = {r["raw_line"]: sorted((x["path"], x["code"]) for x in r["reasons"]) for r in records if "raw_line" in r}
    by_symbol = {next(s for s in ("INF1", "INF2", "NAN1", "NAN2", "DUP2") if s in line): why for line, why in raw.items() if "\"symbol\"" in line}
    assert by_symbol == {
        "INF1": [("close", "invalid_value")],
        "INF2": [("close", "invalid_value")],
        "NAN1": [("vwap", "invalid_value")],
        "NAN2": [("vwap", "invalid_value")],
        # its first close is "x"; kept as the raw line, since an object would show one close only
        "DUP2": [("close", "invalid_type")],
    }
    assert reasons["SUR1\ud800"] == [("", "invalid_json")]  # the envelope kept: strict JSON takes it
    bad1 = next(r for r in records if isinstance(r.get("payload"), dict) and r["payload"].get("symbol") == "BAD1")
    assert bad1["payload"]["high"] == 1.0 and bad1["run_id"] and bad1["source_offset"] == "eod_prices#3"
    # Filed beside the bronze batch they came from, not under the cleansing run.
    manifest = json.loads(
        (
            bucket(lake, "quarantine")
            / f"source=fmp/dataset=eod_prices/dt=2026-11-24/run={RUN_1}/stage=bronze_to_silver/_manifest.json"
        ).read_text()
    )
    assert (manifest["rowCount"], manifest["zone"], manifest["runId"], manifest["rejectedBy"]) == (
        22,
        "quarantine",
        RUN_1,
        RUN,
    )
    assert {r["rejected_by"]["run_id"] for r in records} == {RUN}


def test_a_later_run_replaces_the_rejects_of_the_batches_it_cleanses_again(spark, contracts_json, lake):
    run(spark, contracts_json, lake, "fmp.eod_prices")
    later = "20261126T020000Z-clean2"
    summary = run(spark, contracts_json, lake, "fmp.eod_prices", later)
    records = quarantined(lake, "fmp", "eod_prices", "2026-11-24")
    assert summary["quarantined"] == 22 and len(records) == 22
    assert {r["rejected_by"]["run_id"] for r in records} == {later}
    folder = bucket(lake, "quarantine") / "source=fmp/dataset=eod_prices"
    assert not list(folder.glob(f"dt=*/run={RUN}")) and not list(folder.glob(f"dt=*/run={later}"))


def test_a_rerun_replaces_partitions_without_duplicates(spark, contracts_json, lake):
    run(spark, contracts_json, lake, "fmp.eod_prices")
    first = silver_rows(spark, lake, "fmp", "eod_prices")
    run(spark, contracts_json, lake, "fmp.eod_prices")
    assert silver_rows(spark, lake, "fmp", "eod_prices") == first
    files = list((bucket(lake, "silver") / "source=fmp/dataset=eod_prices/dt=2026-11-24").glob("*.parquet"))
    assert len(files) == 1


def test_pending_batches_only_reads_what_the_silver_ledger_does_not_list(spark, contracts_json, tmp_path):
    write_sample_lake(tmp_path)
    contract = load_contract(contracts_json, "fmp.eod_prices")
    lakes = [Lake(str(bucket(tmp_path, z))) for z in ("bronze", "silver", "quarantine")]
    first = cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes, batches_to_read="pending")
    assert first["bronze_batches"] > 0 and first["batches_already_cleansed"] == 0
    rows = silver_rows(spark, tmp_path, "fmp", "eod_prices")

    again = cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, "20261126T030000Z-clean3", *lakes, batches_to_read="pending")
    assert (again["bronze_batches"], again["batches_already_cleansed"], again["records_read"]) == (0, first["bronze_batches"], 0)
    assert silver_rows(spark, tmp_path, "fmp", "eod_prices") == rows
    assert {r["rejected_by"]["run_id"] for r in quarantined(tmp_path, "fmp", "eod_prices", "2026-11-24")} == {RUN}

    # The RUN_2 batch written again (a retried ingestion run: a new manifest) is pending again.
    manifest = next((bucket(tmp_path, "bronze") / "source=fmp/dataset=eod_prices").glob(f"dt=*/run={RUN_2}/_manifest.json"))
    doc = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**doc, "createdAt": "2026-11-26T09:00:00.000Z"}))
    third = cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, "20261126T040000Z-clean4", *lakes, batches_to_read="pending")
    assert (third["bronze_batches"], third["records_read"]) == (1, doc["rowCount"])
    assert silver_rows(spark, tmp_path, "fmp", "eod_prices") == rows


def test_a_ledger_entry_that_is_not_json_is_named_with_how_to_recover(spark, contracts_json, tmp_path):
    write_sample_lake(tmp_path)
    contract = load_contract(contracts_json, "fmp.eod_prices")
    lakes = [Lake(str(bucket(tmp_path, z))) for z in ("bronze", "silver", "quarantine")]
    cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes)
    entry = next((bucket(tmp_path, "silver") / "_cleansed").rglob("cleansed.json"))
    entry.write_text('{"version": 1,')
    with pytest.raises(ValueError, match=r"silver ledger entry _cleansed/.* is not JSON .*delete it and the batch is cleansed again"):
        cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes, batches_to_read="pending")


def test_a_bronze_manifest_it_cannot_trust_is_named_with_every_wrong_field(contracts_json, tmp_path):
    write_sample_lake(tmp_path)
    contract = load_contract(contracts_json, "fmp.eod_prices")
    bronze = Lake(str(bucket(tmp_path, "bronze")))
    assert len(manifested_batches(bronze, contract, SAMPLE_DATES)) > 0
    manifest = next((bucket(tmp_path, "bronze") / "source=fmp/dataset=eod_prices").glob(f"dt=*/run={RUN_2}/_manifest.json"))
    doc = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**doc, "createdAt": None, "parts": [doc["parts"][0], {"rows": 1}]}))
    with pytest.raises(ValueError) as raised:
        manifested_batches(bronze, contract, SAMPLE_DATES)
    message = str(raised.value)
    assert f"run={RUN_2}/_manifest.json cannot be read" in message
    assert "createdAt: expected an ISO-8601 time" in message and "parts.1.key: expected the part's key" in message
    assert "parts.0" not in message and message.endswith("move the run folder aside to skip it")


def test_a_bronze_manifest_listing_parts_outside_its_run_folder_is_refused(contracts_json, tmp_path):
    write_sample_lake(tmp_path)
    contract = load_contract(contracts_json, "fmp.eod_prices")
    bronze = Lake(str(bucket(tmp_path, "bronze")))
    manifest = next((bucket(tmp_path, "bronze") / "source=fmp/dataset=eod_prices").glob(f"dt=*/run={RUN_2}/_manifest.json"))
    doc = json.loads(manifest.read_text())
    own = doc["parts"][0]["key"]
    run_folder = own[: own.rindex("/") + 1]
    other_run = own.replace(f"run={RUN_2}/", f"run={RUN_1}/")
    escaping = "../../../../home/u/.ssh/id_rsa"
    climbing = run_folder + "../x/part-00000.ndjson.gz"
    parts = [{**doc["parts"][0], "key": key} for key in (own, other_run, escaping, climbing)]
    manifest.write_text(json.dumps({**doc, "parts": parts}))
    with pytest.raises(ValueError) as raised:
        manifested_batches(bronze, contract, SAMPLE_DATES)
    message = str(raised.value)
    assert "parts.0" not in message
    assert f"parts.1.key: {other_run!r} must start with this run's folder {run_folder!r}" in message
    assert f"parts.2.key: {escaping!r} must start with this run's folder" in message
    assert f"parts.3.key: {climbing!r} has an empty, '.' or '..' segment" in message


def test_batches_takes_all_pending_or_rebuild_and_dates_except_with_rebuild():
    required = ["cleanse_market_data.py", *(f"--{name}=x" for name in cleanse_market_data.ARGS)]
    with pytest.raises(SystemExit, match="--batches 'new' is not one of all, pending, rebuild"):
        cleanse_market_data.parse_args([*required, "--dates=2026-11-24", "--batches=new"])
    with pytest.raises(SystemExit, match='give the bronze dates to cleanse, except with batches "rebuild"'):
        cleanse_market_data.parse_args(required)
    with pytest.raises(SystemExit, match=r"a rebuild reads every bronze date of each dataset, so it takes no dates \(got 2026-11-24\)"):
        cleanse_market_data.parse_args([*required, "--dates=2026-11-24", "--batches=rebuild"])
    options, _ = cleanse_market_data.parse_args([*required, "--dates=2026-11-24"])
    assert options["batches"] == "all"
    options, _ = cleanse_market_data.parse_args([*required, "--batches=rebuild"])
    assert (options["batches"], options["dates"]) == ("rebuild", "")


def test_a_rebuild_drops_the_rows_no_bronze_batch_gives_any_more(spark, contracts_json, tmp_path):
    write_sample_lake(tmp_path)
    contract = load_contract(contracts_json, "fmp.eod_prices")
    lakes = [Lake(str(bucket(tmp_path, z))) for z in ("bronze", "silver", "quarantine")]
    cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes)
    # RUN_2's batches taken out of bronze (say, found to be wrong). A merge keeps what they gave.
    import shutil

    for folder in (bucket(tmp_path, "bronze") / "source=fmp/dataset=eod_prices").glob(f"dt=*/run={RUN_2}"):
        shutil.rmtree(folder)
    cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes)
    assert RUN_2 in {r["ingestion_run_id"] for r in silver_rows(spark, tmp_path, "fmp", "eod_prices")}

    with pytest.raises(ValueError, match="a rebuild reads every bronze date of each dataset, so it takes no dates"):
        cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes, batches_to_read="rebuild")
    summary = cleanse_market_data.cleanse(spark, contract, [], "20261126T050000Z-rebui1", *lakes, batches_to_read="rebuild")
    rows = silver_rows(spark, tmp_path, "fmp", "eod_prices")
    assert RUN_2 not in {r["ingestion_run_id"] for r in rows}
    assert summary["dates"] == sorted({d for d in SAMPLE_DATES})
    silver_dir = bucket(tmp_path, "silver") / "source=fmp/dataset=eod_prices"
    assert sorted(p.name for p in silver_dir.iterdir() if p.is_dir()) == [f"dt={d}" for d in summary["silver_partitions"]]
    ledger = sorted(str(p.relative_to(bucket(tmp_path, "silver"))) for p in (bucket(tmp_path, "silver") / "_cleansed").rglob("cleansed.json"))
    assert ledger and not any(f"run={RUN_2}" in key for key in ledger)
    assert len(ledger) == summary["bronze_batches"]


def test_rows_already_in_silver_survive_a_run_over_other_bronze_dates(spark, contracts_json, lake):
    contract = load_contract(contracts_json, "fmp.eod_prices")
    lakes = [Lake(str(bucket(lake, z))) for z in ("bronze", "silver", "quarantine")]
    cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes)
    # Only the 2026-11-25 bronze: its AAPL 2026-11-24 row lands in a partition that also holds
    # MSFT 2026-11-24 from the 2026-11-24 bronze, which must stay.
    cleanse_market_data.cleanse(spark, contract, ["2026-11-25"], RUN, *lakes)
    keys = {(r["symbol"], r["trade_date"].isoformat()) for r in silver_rows(spark, lake, "fmp", "eod_prices")}
    assert ("MSFT", "2026-11-24") in keys and ("AAPL", "2026-11-24") in keys


def test_timestamps_are_zoneless_and_decimals_keep_their_scale(spark, contracts_json, lake):
    run(spark, contracts_json, lake, "mongodb.transactions")
    df = spark.read.parquet(str(bucket(lake, "silver") / "source=mongodb/dataset=transactions"))
    types = dict(df.dtypes)
    assert types["transacted_at"] == "timestamp_ntz"
    assert types["quantity"] == "decimal(38,9)"
    assert types["dt"] == "date"
    rows = {r["id"]: r for r in df.collect()}
    assert str(rows["6000000000000000000000a1"]["quantity"]) == "10.123456790"
    # a3-a9 and b1 break a rule each: trade without symbol, zero quantity, unknown type, a string
    # amount, zero amount, "abc", an amount beyond decimal(38,9), a symbol that is no ticker.
    assert sorted(rows) == ["6000000000000000000000a1", "6000000000000000000000a2", "6000000000000000000000b0"]
    assert rows["6000000000000000000000b0"]["price"] == 0  # -0.0000000004 rounds to 0


def quarantined_reasons(lake: Path, source: str, dataset: str) -> dict[str, list[tuple[str, str]]]:
    """The (path, code) reasons of every record the cleansing rejected, by source offset."""
    return {
        r["source_offset"]: sorted((x["path"], x["code"]) for x in r["reasons"])
        for day in SAMPLE_DATES
        for r in quarantined(lake, source, dataset, day)
        if "source_offset" in r
    }


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [
        ("fmp.quotes", {"quotes#5": [("timestamp", "invalid_value")]}),  # negative unix seconds
        ("mongodb.portfolios", {"portfolios#6": [("baseCurrency", "invalid_value")], "portfolios#7": [("baseCurrency", "invalid_value")]}),
        ("fmp.news", {"news#6": [("url", "invalid_value")], "news#7": [("url", "invalid_value")]}),
        ("fmp.company_profiles", {"company_profiles#6": [("image", "invalid_value")], "company_profiles#7": [("ipoDate", "invalid_value")]}),
        ("fmp.income_statements", {"income_statements#6": [("acceptedDate", "invalid_value")]}),
        ("mongodb.transactions", {"transactions#10": [("symbol", "invalid_value")]}),
    ],
)
def test_the_field_specs_rules_beyond_json_types_quarantine_records(spark, contracts_json, lake, dataset, expected):
    """Tickers, http(s) URLs, currency codes (contracts.json `pattern`), unix seconds from 1970
    and years 0100-9999, as the TypeScript field specs check them at ingestion."""
    source, name = dataset.split(".")
    run(spark, contracts_json, lake, dataset)
    reasons = quarantined_reasons(lake, source, name)
    assert {offset: reasons.get(offset) for offset in expected} == expected


def test_the_edges_the_field_specs_take_reach_silver(spark, contracts_json, lake):
    run(spark, contracts_json, lake, "fmp.company_profiles")
    profiles = spark.read.parquet(str(bucket(lake, "silver") / "source=fmp/dataset=company_profiles"))
    brk = {r["symbol"]: r for r in profiles.collect()}["BRK-B"]
    assert (brk["image"], brk["ipo_date"].isoformat()) == ("https://images.example.com/BRK-B.png", "0100-01-01")
    run(spark, contracts_json, lake, "fmp.income_statements")
    statements = spark.read.parquet(str(bucket(lake, "silver") / "source=fmp/dataset=income_statements"))
    accepted = {r["period_end_date"].isoformat(): r["accepted_date"] for r in statements.collect()}
    assert accepted["2025-03-29"].isoformat() == "0100-01-01T00:00:00"


def test_plain_spark_command_line(spark, contracts_json, lake, tmp_path, capsys, monkeypatch):
    from conftest import CONTRACTS_JSON

    monkeypatch.setattr("pyspark.sql.SparkSession.builder.getOrCreate", lambda *a, **k: spark)
    code = cleanse_market_data.main(
        [
            "cleanse_market_data.py",
            "--dataset=fmp.news",
            "--dates=2026-11-25",
            f"--run_id={RUN}",
            f"--contracts={CONTRACTS_JSON}",
            f"--bronze_root={bucket(lake, 'bronze')}",
            f"--silver_root={bucket(lake, 'silver')}",
            f"--quarantine_root={bucket(lake, 'quarantine')}",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # Valid: AAPL's article once (sent twice) and the two a lone \r separates (bronze_samples.py);
    # quarantined: hour 24, no title, and the two URLs that are not http(s).
    assert summary["dataset"] == "fmp.news" and summary["quarantined"] == 4 and summary["valid"] == 4
