"""The local DuckDB cleansing (src/transformation/bronze-to-silver, run through its CLI) and the
Glue job on PySpark produce the same silver from the same bronze, bad records included: same
rows, same column names and Parquet types, same quarantine."""

from __future__ import annotations

import gzip
import re
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

import cleanse_market_data
from bronze_samples import SAMPLE_DATASETS, SAMPLE_DATES, bucket, write_sample_lake
from conftest import WORKSPACE
from finks_silver import Lake, load_contract

RUN = "20261126T020000Z-conf01"
APP = WORKSPACE / "apps" / "pipelines"


def node_env() -> dict[str, str]:
    env = dict(os.environ)
    if shutil.which("node") is None:
        node_dir = subprocess.run(
            ["bash", str(WORKSPACE / "tools" / "dev-env" / "node.sh")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        env["PATH"] = f"{node_dir}{os.pathsep}{env['PATH']}"
    return env


def run_local_cli(command: str, lake: Path) -> dict[str, dict]:
    """src/transformation/<command>/cli.ts over the sample datasets and dates of `lake`: its JSON
    lines by dataset."""
    result = subprocess.run(
        [
            str(WORKSPACE / "node_modules" / ".bin" / "tsx"),
            f"src/transformation/{command}/cli.ts",
            f"--lake-root={lake}",
            f"--datasets={','.join(SAMPLE_DATASETS)}",
            f"--dates={','.join(SAMPLE_DATES)}",
            f"--run-id={RUN}",
        ],
        cwd=APP,
        env=node_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {line["dataset"]: line for line in map(json.loads, result.stdout.splitlines())}


@pytest.fixture(scope="module")
def lakes(tmp_path_factory, spark, contracts_json):
    spark_lake = tmp_path_factory.mktemp("spark-lake")
    duck_lake = tmp_path_factory.mktemp("duckdb-lake")
    write_sample_lake(spark_lake)
    write_sample_lake(duck_lake)

    spark_summaries = {}
    for dataset in SAMPLE_DATASETS:
        spark_summaries[dataset] = cleanse_market_data.cleanse(
            spark,
            load_contract(contracts_json, dataset),
            SAMPLE_DATES,
            RUN,
            *(Lake(str(bucket(spark_lake, zone))) for zone in ("bronze", "silver", "quarantine")),
        )
    duck_summaries = run_local_cli("bronze-to-silver", duck_lake)
    return spark_lake, duck_lake, spark_summaries, duck_summaries


def dataset_folder(lake: Path, dataset: str) -> Path:
    source, name = dataset.split(".")
    return bucket(lake, "silver") / f"source={source}" / f"dataset={name}"


def silver_table(lake: Path, dataset: str):
    files = sorted(str(p) for p in dataset_folder(lake, dataset).glob("dt=*/*.parquet"))
    assert files, f"no silver for {dataset}"
    con = duckdb.connect()
    relation = con.sql(f"SELECT * FROM read_parquet({files!r}, hive_partitioning = true)")
    columns = [(name, str(kind)) for name, kind in zip(relation.columns, relation.types)]
    order = ", ".join(f'"{name}"' for name, _ in columns)
    rows = con.sql(f"SELECT * FROM read_parquet({files!r}, hive_partitioning = true) ORDER BY {order}").fetchall()
    # Physical type plus the annotations that change meaning (decimal scale, isAdjustedToUTC);
    # Spark also writes redundant ones (String/Date logical types, INT_64) that DuckDB leaves out.
    schema = con.sql(
        "SELECT DISTINCT name, type, type_length, nullif(converted_type, 'INT_64'), scale, precision, "
        "CASE WHEN logical_type LIKE 'Timestamp%' OR logical_type LIKE 'Decimal%' THEN logical_type END "
        f"FROM parquet_schema({files!r}) WHERE name NOT IN ('spark_schema', 'duckdb_schema') ORDER BY name"
    ).fetchall()
    return columns, rows, schema


def quarantine(lake: Path, dataset: str) -> list[tuple]:
    source, name = dataset.split(".")
    records = []
    folder = bucket(lake, "quarantine") / f"source={source}/dataset={name}"
    for part in sorted(folder.glob("dt=*/run=*/stage=bronze_to_silver/part-*.ndjson.gz")):
        batch = f"{part.parents[2].name}/{part.parents[1].name}"
        for line in gzip.decompress(part.read_bytes()).decode("utf-8").splitlines():
            record = json.loads(line)
            identity = record.get("source_offset") or record.get("raw_line") or json.dumps(record.get("payload"))
            reasons = sorted((r["path"], r["code"]) for r in record["reasons"])
            records.append((batch, identity, reasons))
    return sorted(records)


@pytest.mark.parametrize("dataset", SAMPLE_DATASETS)
def test_duckdb_and_pyspark_write_the_same_silver(lakes, dataset):
    spark_lake, duck_lake, _, _ = lakes
    spark_columns, spark_rows, spark_schema = silver_table(spark_lake, dataset)
    duck_columns, duck_rows, duck_schema = silver_table(duck_lake, dataset)
    assert duck_columns == spark_columns
    assert duck_schema == spark_schema
    assert duck_rows == spark_rows
    assert sorted(p.name for p in dataset_folder(duck_lake, dataset).iterdir()) == sorted(
        p.name for p in dataset_folder(spark_lake, dataset).iterdir() if p.is_dir()
    )


@pytest.mark.parametrize("dataset", SAMPLE_DATASETS)
def test_duckdb_and_pyspark_quarantine_the_same_records_for_the_same_reasons(lakes, dataset):
    spark_lake, duck_lake, spark_summaries, duck_summaries = lakes
    assert quarantine(duck_lake, dataset) == quarantine(spark_lake, dataset)
    spark, duck = spark_summaries[dataset], duck_summaries[dataset]
    assert (duck["recordsRead"], duck["valid"], duck["quarantined"], duck["quarantineReasons"]) == (
        spark["records_read"],
        spark["valid"],
        spark["quarantined"],
        spark["quarantine_reasons"],
    )
    assert duck["silverPartitions"] == spark["silver_partitions"]


@pytest.mark.parametrize("dataset", SAMPLE_DATASETS)
def test_duckdb_and_pyspark_record_the_same_batches_in_the_silver_ledger(lakes, dataset):
    spark_lake, duck_lake, spark_summaries, duck_summaries = lakes
    source, name = dataset.split(".")

    def ledger(lake: Path) -> dict[str, tuple]:
        folder = bucket(lake, "silver") / "_cleansed" / f"source={source}" / f"dataset={name}"
        entries = {}
        for path in sorted(folder.glob("dt=*/run=*/cleansed.json")):
            entry = json.loads(path.read_text())
            entries[str(path.relative_to(folder))] = (entry["bronzeWrittenAt"], entry["cleansedBy"], entry["quarantined"])
        return entries

    assert ledger(duck_lake) == ledger(spark_lake)
    assert len(ledger(duck_lake)) == duck_summaries[dataset]["bronzeBatches"] == spark_summaries[dataset]["bronze_batches"] > 0


def bronze_lines(lake: Path, dataset: str) -> list[str]:
    """Every line of the dataset's manifested bronze batches, as Spark and DuckDB split them."""
    source, name = dataset.split(".")
    folder = bucket(lake, "bronze") / f"source={source}" / f"dataset={name}"
    return [
        line
        for manifest in sorted(folder.glob("dt=*/run=*/_manifest.json"))
        for part in sorted(manifest.parent.glob("part-*.ndjson.gz"))
        for line in re.split(r"\r\n|\r|\n", gzip.decompress(part.read_bytes()).decode("utf-8"))[:-1]
    ]


def test_neither_engine_reads_an_empty_line_as_a_record(lakes):
    spark_lake, _, spark_summaries, duck_summaries = lakes
    with_empty_lines = 0
    for dataset in SAMPLE_DATASETS:
        lines = bronze_lines(spark_lake, dataset)
        records = sum(1 for line in lines if line != "")
        with_empty_lines += records < len(lines)
        assert duck_summaries[dataset]["recordsRead"] == spark_summaries[dataset]["records_read"] == records
    # An LF file and a CRLF file (bronze_samples.py), so both line ends are compared.
    assert with_empty_lines >= 2


def test_the_sample_covers_every_kind_of_reject(lakes):
    _, _, spark_summaries, _ = lakes
    codes = set()
    for summary in spark_summaries.values():
        codes.update(summary["quarantine_reasons"])
    assert codes == {"invalid_envelope", "invalid_json", "invalid_type", "invalid_value", "invariant", "required"}


@pytest.fixture(scope="module")
def drift_reports(tmp_path_factory, spark, contracts_json):
    """validate_schemas.py on PySpark and the local check in DuckDB (src/transformation/
    schema-drift, through its CLI) on the same sample bronze, every dataset."""
    import validate_schemas

    lake = tmp_path_factory.mktemp("drift-lake")
    write_sample_lake(lake)
    spark_reports = {
        dataset: validate_schemas.validate(
            spark, load_contract(contracts_json, dataset), SAMPLE_DATES, RUN, Lake(str(bucket(lake, "bronze")))
        )
        for dataset in SAMPLE_DATASETS
    }
    duck_reports = run_local_cli("schema-drift", lake)
    return spark_reports, duck_reports


@pytest.mark.parametrize("dataset", SAMPLE_DATASETS)
def test_duckdb_and_pyspark_report_the_same_drift(drift_reports, dataset):
    spark_reports, duck_reports = drift_reports
    assert duck_reports[dataset] == spark_reports[dataset]
    assert spark_reports[dataset]["records"] > 0


def test_the_drift_sample_covers_every_kind_of_drift(drift_reports):
    spark_reports, _ = drift_reports
    reports = spark_reports.values()
    assert any(r["unreadable_records"] > 0 for r in reports)
    assert any(r["unknown_fields"] for r in reports)
    assert any(r["missing_required_fields"] for r in reports)
    assert any(r["type_changes"] for r in reports)
