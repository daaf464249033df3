"""Bronze -> silver for one dataset: reads the manifested bronze batches of the given dates,
applies the dataset contract (checked type conversions, invariants, dedupe keeping the latest
fetch), sends rejects with their reasons to quarantine beside the bronze batch each came from
(`dt=…/run=<bronze run>/stage=bronze_to_silver/`, replaced when that batch is cleansed again) and
writes silver Parquet partitioned by `dt`, replacing only the partitions it touches (a rerun gives
the same silver and the same quarantine, no duplicates). One run per dataset at a time: it holds
the dataset's lock in the silver bucket throughout (silver_lock.py).

Runs on AWS Glue 5.0 (awsglue present: GlueContext, Job, getResolvedOptions; no bookmarks: the
manifests say what to read) and on plain Spark 3.5 (argparse). Arguments, both ways:

  --dataset fmp.eod_prices          contract id
  --dates 2026-11-24,2026-11-25     bronze dt partitions to read (none with --batches rebuild)
  --run_id 20261125T220000Z-ab12cd  this run (correlation id): each reject's rejected_by
  --contracts s3://…/contracts.json or a local path (Glue --extra-files: just the file name)
  --bronze_root / --silver_root / --quarantine_root   bucket roots: s3://<bucket>/ or folders
  --batches all|pending|rebuild     optional, default all (every batch of the dates, merged into
                                    silver); pending: only the batches the silver ledger
                                    (`_cleansed/…`) lacks; rebuild: every bronze date into a table
                                    built anew (no merge, stale partitions removed, ledger reset)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from finks_silver import (  # noqa: E402
    Contract,
    Lake,
    convert_record,
    invariant_reason,
    load_contract,
    bronze_dates,
    cleansed_dataset_prefix,
    is_cleansed,
    manifested_batches,
    quarantine_record,
    read_contracts,
    record_cleansed,
    remove_partitions_except,
    start_spark,
    write_quarantine,
)
from silver_lock import DEFAULT_WAIT_SECONDS, dataset_lock, holder  # noqa: E402

ARGS = ["dataset", "run_id", "contracts", "bronze_root", "silver_root", "quarantine_root"]
OPTIONAL_ARGS = ["dates", "batches"]
BATCHES = ("all", "pending", "rebuild")


def parse_args(argv: list[str]) -> tuple[dict[str, str], Any]:
    """Glue passes `--name value` pairs plus its own; getResolvedOptions reads them there. It has
    no optional arguments, so `--dates` and `--batches` are asked for only when given."""
    try:
        from awsglue.utils import getResolvedOptions  # type: ignore[import-not-found]
    except ImportError:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        for name in ARGS:
            parser.add_argument(f"--{name}", required=True)
        parser.add_argument("--dates", default="")
        parser.add_argument("--batches", default="all")
        options, runtime = vars(parser.parse_args(argv[1:])), None
    else:
        # Glue passes JOB_RUN_ID to every run: the lock names the run holding it (silver_lock.py).
        optional = [name for name in [*OPTIONAL_ARGS, "JOB_RUN_ID"] if f"--{name}" in argv]
        options, runtime = getResolvedOptions(argv, ["JOB_NAME", *ARGS, *optional]), "glue"
    options.setdefault("batches", "all")
    options.setdefault("dates", "")
    if options["batches"] not in BATCHES:
        raise SystemExit(
            f"--batches {options['batches']!r} is not one of {', '.join(BATCHES)} (pending: only the "
            "batches the silver ledger does not list as cleansed; rebuild: every bronze date anew)"
        )
    problem = batch_selection_problem(options["batches"], [d for d in options["dates"].split(",") if d])
    if problem is not None:
        raise SystemExit(problem)
    return options, runtime


def batch_selection_problem(batches: str, dates: list[str]) -> str | None:
    """What is wrong with asking for `batches` of `dates`, or None: every choice takes dates except
    a rebuild, which reads every bronze date and takes none (batchSelectionProblem in the DuckDB
    cleansing, word for word)."""
    if batches == "rebuild" and dates:
        return (
            f"a rebuild reads every bronze date of each dataset, so it takes no dates (got {', '.join(dates)}); "
            'drop the dates, or cleanse them with batches "all" to merge with silver instead'
        )
    if batches != "rebuild" and not dates:
        return 'give the bronze dates to cleanse, except with batches "rebuild", which reads every date and takes none'
    return None


def spark_type(silver_type: str):
    from pyspark.sql import types as T

    if silver_type.startswith("decimal("):
        precision, scale = silver_type[len("decimal(") : -1].split(",")
        return T.DecimalType(int(precision), int(scale))
    return {
        "string": T.StringType(),
        "bigint": T.LongType(),
        "double": T.DoubleType(),
        "boolean": T.BooleanType(),
        "date": T.DateType(),
        # Silver timestamps are zone-less (UTC wall clock, or FMP's unzoned wall clock), which is
        # Parquet's isAdjustedToUTC=false: what DuckDB's TIMESTAMP writes too.
        "timestamp": T.TimestampNTZType(),
    }[silver_type]


def silver_schema(contract: Contract):
    from pyspark.sql import types as T

    return T.StructType(
        [T.StructField(c.name, spark_type(c.type), True) for c in contract.columns]
        + [T.StructField("dt", T.DateType(), True)]
    )


def configure(spark) -> None:
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    # Dates as they are (proleptic Gregorian, as DuckDB, Athena and the contracts count them):
    # Spark 3's default refuses to write a date before 1582-10-15, which failed the whole job on
    # one record of a year the contracts take (0100-9999), and refuses to read such a date from
    # silver DuckDB wrote.
    spark.conf.set("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
    spark.conf.set("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED")


def cleanse(
    spark,
    contract: Contract,
    dates: list[str],
    run_id: str,
    bronze: Lake,
    silver: Lake,
    quarantine: Lake,
    batches_to_read: str = "all",
    *,
    glue_run: tuple[str, str] | None = None,
    lock_wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> dict[str, Any]:
    """Runs the cleansing and returns its summary (also printed as JSON by main). Holds the
    dataset's lock (silver_lock.py) throughout, so the ledger and the silver it merges with are
    read by one run at a time; `glue_run` (job name, job run id) lets a waiter see it end."""
    problem = batch_selection_problem(batches_to_read, dates)
    if problem is not None:
        raise ValueError(problem)
    job, job_run = glue_run or (None, None)
    with dataset_lock(
        silver,
        contract.source,
        contract.dataset,
        holder(run_id, job, job_run),
        wait_seconds=lock_wait_seconds,
    ):
        return _cleanse_locked(spark, contract, dates, run_id, bronze, silver, quarantine, batches_to_read)


def _cleanse_locked(
    spark,
    contract: Contract,
    dates: list[str],
    run_id: str,
    bronze: Lake,
    silver: Lake,
    quarantine: Lake,
    batches_to_read: str,
) -> dict[str, Any]:
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    configure(spark)
    rebuild = batches_to_read == "rebuild"
    if rebuild:
        dates = bronze_dates(bronze, contract)
    complete = manifested_batches(bronze, contract, dates)
    pending_only = batches_to_read == "pending"
    batches = [b for b in complete if not (pending_only and is_cleansed(silver, contract, b))]
    parts = [key for batch in batches for key in batch.keys]
    reason_type = T.ArrayType(
        T.StructType([T.StructField(n, T.StringType(), True) for n in ("path", "code", "message")])
    )
    converted_schema = T.StructType(
        [T.StructField(c.name, spark_type(c.type), True) for c in contract.columns]
        + [
            T.StructField("source_offset", T.StringType(), True),
            T.StructField("bronze_batch", T.StringType(), False),
            T.StructField("raw_line", T.StringType(), False),
            T.StructField("reasons", reason_type, False),
            T.StructField("failed", T.ArrayType(T.StringType()), False),
        ]
    )
    names = [c.name for c in contract.columns]

    def convert_partition(rows):
        for line, bronze_batch in rows:
            values, reasons, failed, meta = convert_record(contract, line)
            yield (
                *[values[n] for n in names],
                meta["source_offset"],
                bronze_batch,
                line,
                reasons,
                sorted(failed),
            )

    if parts:
        # `<bronze dt>/run=<runId>`: rejects are quarantined per bronze batch.
        # An empty line holds no record: skipped, not quarantined, as the DuckDB cleansing
        # (check-sql.ts, `line <> ''`) and validate_schemas.py do. Only '' is empty: Spark ends a
        # line at \n, \r\n or \r, so a CRLF file's blank line is '' here and NULL in DuckDB;
        # a line of spaces is not empty and is quarantined as invalid_json by both.
        lines = (
            spark.read.text([bronze.uri(key) for key in parts])
            .where(F.col("value") != "")
            .select(
                F.col("value"),
                F.regexp_extract(F.input_file_name(), r"/dt=(\d{4}-\d{2}-\d{2}/run=[^/]+)/", 1).alias("batch"),
            )
        )
        rdd = lines.rdd.map(tuple).mapPartitions(convert_partition)
        converted = spark.createDataFrame(rdd, converted_schema)
    else:
        converted = spark.createDataFrame([], converted_schema)

    invariant_reasons = []
    for inv in contract.invariants:
        untouched = F.lit(True)
        for column in inv.columns:
            untouched = untouched & ~F.array_contains(F.col("failed"), column)
        violated = untouched & ~F.coalesce(F.expr(f"({inv.sql})"), F.lit(True))
        r = invariant_reason(inv)
        invariant_reasons.append(
            F.when(
                violated,
                F.struct(
                    F.lit(r["path"]).alias("path"),
                    F.lit(r["code"]).alias("code"),
                    F.lit(r["message"]).alias("message"),
                ),
            )
        )
    if invariant_reasons:
        all_reasons = F.concat(F.col("reasons"), F.filter(F.array(*invariant_reasons), lambda r: r.isNotNull()))
    else:
        all_reasons = F.col("reasons")
    checked = converted.withColumn("reasons", all_reasons).localCheckpoint(eager=True)

    rejected = checked.where(F.size("reasons") > 0).select("bronze_batch", "raw_line", "reasons").collect()
    rejects_by_batch: dict[tuple[str, str], list[dict[str, Any]]] = {}
    reason_counts: dict[str, int] = {}
    for row in rejected:
        reasons = [r.asDict() for r in row["reasons"]]
        day, bronze_run = row["bronze_batch"].split("/run=")
        rejects_by_batch.setdefault((day, bronze_run), []).append(quarantine_record(row["raw_line"], reasons, run_id))
        for r in reasons:
            reason_counts[r["code"]] = reason_counts.get(r["code"], 0) + 1
    write_quarantine(quarantine, contract, run_id, rejects_by_batch, ((b.dt, b.run_id) for b in batches))

    partition_col = F.col(contract.partition_from)
    partition_type = next(c.type for c in contract.columns if c.name == contract.partition_from)
    dt_expr = partition_col if partition_type == "date" else F.to_date(partition_col)
    valid = checked.where(F.size("reasons") == 0).withColumn("dt", dt_expr)
    new_rows = valid.select(*names, "dt", "source_offset", F.lit(1).alias("is_new"))
    valid_count = new_rows.count()

    dataset_root = silver.uri(f"source={contract.source}/dataset={contract.dataset}/")
    affected = sorted({r["dt"].isoformat() for r in new_rows.select("dt").distinct().collect()})
    # A rebuild replaces the old rows instead of merging with them.
    existing_paths = [
        f"{dataset_root}dt={day}/"
        for day in ([] if rebuild else affected)
        if any(k.endswith(".parquet") for k in silver.list(f"source={contract.source}/dataset={contract.dataset}/dt={day}/"))
    ]
    merged = new_rows
    if existing_paths:
        existing = (
            spark.read.schema(silver_schema(contract))
            .option("basePath", dataset_root)
            .parquet(*existing_paths)
            .select(*names, "dt", F.lit(None).cast("string").alias("source_offset"), F.lit(0).alias("is_new"))
        )
        merged = new_rows.unionByName(existing)

    latest_first = Window.partitionBy(*contract.version_key).orderBy(
        F.col("ingested_at").desc_nulls_last(),
        F.col("ingestion_run_id").desc_nulls_last(),
        F.col("source_offset").desc_nulls_last(),
        F.col("is_new").desc(),
    )
    deduped = (
        merged.withColumn("version_rank", F.row_number().over(latest_first))
        .where(F.col("version_rank") == 1)
        .select(*names, "dt")
        .localCheckpoint(eager=True)
    )
    silver_rows = deduped.count()
    if affected:
        (
            deduped.repartition("dt")
            .sortWithinPartitions(*contract.primary_key)
            .write.mode("overwrite")
            .partitionBy("dt")
            .parquet(dataset_root)
        )
    if rebuild:
        remove_partitions_except(silver, contract, affected)
        silver.delete_prefix(cleansed_dataset_prefix(contract))
    for batch in batches:
        record_cleansed(silver, contract, batch, run_id, len(rejects_by_batch.get((batch.dt, batch.run_id), [])))
    return {
        "dataset": contract.id,
        "run_id": run_id,
        "dates": sorted(set(dates)),
        "bronze_batches": len(batches),
        "batches_already_cleansed": len(complete) - len(batches),
        "bronze_parts": len(parts),
        "records_read": checked.count(),
        "valid": valid_count,
        "quarantined": len(rejected),
        "quarantine_reasons": dict(sorted(reason_counts.items())),
        "silver_partitions": affected,
        "silver_rows_in_partitions": silver_rows,
    }


def main(argv: list[str]) -> int:
    options, runtime = parse_args(argv)
    contract = load_contract(read_contracts(options["contracts"]), options["dataset"])
    dates = [d for d in options["dates"].split(",") if d]
    spark, job = start_spark(options, runtime, f"cleanse {contract.id}")
    summary = cleanse(
        spark,
        contract,
        dates,
        options["run_id"],
        Lake(options["bronze_root"]),
        Lake(options["silver_root"]),
        Lake(options["quarantine_root"]),
        batches_to_read=options["batches"],
        glue_run=(options["JOB_NAME"], options["JOB_RUN_ID"]) if options.get("JOB_RUN_ID") else None,
    )
    print(json.dumps(summary))
    if job is not None:
        job.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
