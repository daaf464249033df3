"""Checks bronze against the dataset contract and reports drift as JSON: fields the contract does
not know, required fields that are missing, and fields whose JSON type the contract's encoding
does not accept (a type change at the source; the types each encoding takes are the contracts'
`jsonTypes`). Reads only manifested bronze batches.

Runs on AWS Glue 5.0 (awsglue present) and on plain Spark 3.5. Arguments:

  --dataset fmp.eod_prices   --dates 2026-11-24,2026-11-25   --run_id <correlation id>
  --contracts <s3 uri or path>   --bronze_root s3://<bronze bucket>/ or a folder
  optional: --report <s3 uri or path> to store the report; --fail_on_drift true to exit 1 on drift
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Iterable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from finks_silver import (  # noqa: E402
    Contract,
    Lake,
    load_contract,
    manifested_batches,
    parse_line,
    read_contracts,
    start_spark,
)

REQUIRED = ["dataset", "dates", "run_id", "contracts", "bronze_root"]
OPTIONAL = ["report", "fail_on_drift"]

def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "number"


def empty_profile() -> dict[str, Any]:
    return {"records": 0, "unreadable": 0, "unknown": {}, "missing": {}, "types": {}}


def profile_lines(contract: Contract, lines: Iterable[str]) -> dict[str, Any]:
    """Counts, over bronze lines, what the drift report needs."""
    profile = empty_profile()
    fields = {c.source_field: c for c in contract.data_columns if c.source_field is not None}
    for line in lines:
        # An empty line holds no record (the cleansing skips it too).
        if line == "":
            continue
        profile["records"] += 1
        try:
            envelope = parse_line(line)
        except ValueError:
            envelope = None
        payload = envelope.get("payload") if isinstance(envelope, dict) else None
        if not isinstance(payload, dict):
            profile["unreadable"] += 1
            continue
        for name, value in payload.items():
            column = fields.get(name)
            if column is None:
                if name not in contract.ignored_fields:
                    profile["unknown"][name] = profile["unknown"].get(name, 0) + 1
                continue
            kind = json_type(value)
            if kind != "null" and kind not in contract.json_types.get(column.encoding, frozenset()):
                seen = profile["types"].setdefault(name, {})
                seen[kind] = seen.get(kind, 0) + 1
        for name, column in fields.items():
            if not column.nullable and payload.get(name) is None:
                profile["missing"][name] = profile["missing"].get(name, 0) + 1
    return profile


def merge_profiles(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = empty_profile()
    for key in ("records", "unreadable"):
        merged[key] = a[key] + b[key]
    for key in ("unknown", "missing"):
        for source in (a[key], b[key]):
            for name, count in source.items():
                merged[key][name] = merged[key].get(name, 0) + count
    for source in (a["types"], b["types"]):
        for name, kinds in source.items():
            target = merged["types"].setdefault(name, {})
            for kind, count in kinds.items():
                target[kind] = target.get(kind, 0) + count
    return merged


def drift_report(contract: Contract, dates: list[str], run_id: str, parts: int, profile: dict[str, Any]) -> dict[str, Any]:
    encodings = {c.source_field: c.encoding for c in contract.data_columns}
    report = {
        "dataset": contract.id,
        "run_id": run_id,
        "dates": sorted(set(dates)),
        "bronze_parts": parts,
        "records": profile["records"],
        "unreadable_records": profile["unreadable"],
        "unknown_fields": [{"field": n, "records": c} for n, c in sorted(profile["unknown"].items())],
        "missing_required_fields": [{"field": n, "records": c} for n, c in sorted(profile["missing"].items())],
        "type_changes": [
            {
                "field": name,
                "encoding": encodings[name],
                "expected": sorted(contract.json_types[encodings[name]]),
                "observed": dict(sorted(kinds.items())),
            }
            for name, kinds in sorted(profile["types"].items())
        ],
    }
    report["drift"] = bool(report["unknown_fields"] or report["missing_required_fields"] or report["type_changes"])
    return report


def validate(spark, contract: Contract, dates: list[str], run_id: str, bronze: Lake) -> dict[str, Any]:
    parts = [key for batch in manifested_batches(bronze, contract, dates) for key in batch.keys]
    profile = empty_profile()
    if parts:
        lines = spark.read.text([bronze.uri(key) for key in parts]).rdd.map(lambda row: row[0])
        profile = lines.mapPartitions(lambda rows: [profile_lines(contract, rows)]).fold(
            empty_profile(), merge_profiles
        )
    return drift_report(contract, dates, run_id, len(parts), profile)


def parse_args(argv: list[str]) -> tuple[dict[str, str], str | None]:
    try:
        from awsglue.utils import getResolvedOptions  # type: ignore[import-not-found]
    except ImportError:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        for name in REQUIRED:
            parser.add_argument(f"--{name}", required=True)
        for name in OPTIONAL:
            parser.add_argument(f"--{name}")
        return {k: v for k, v in vars(parser.parse_args(argv[1:])).items() if v is not None}, None
    # getResolvedOptions fails on options it is asked for but not given, so optional ones are
    # asked for only when present.
    present = [name for name in OPTIONAL if any(a == f"--{name}" or a.startswith(f"--{name}=") for a in argv)]
    return getResolvedOptions(argv, ["JOB_NAME", *REQUIRED, *present]), "glue"


def write_report(location: str, report: dict[str, Any]) -> None:
    body = (json.dumps(report, indent=2) + "\n").encode("utf-8")
    if location.startswith("s3://"):
        bucket, _, key = location[len("s3://") :].partition("/")
        Lake(f"s3://{bucket}/").write(key, body, "application/json")
        return
    os.makedirs(os.path.dirname(os.path.abspath(location)), exist_ok=True)
    with open(location, "wb") as f:
        f.write(body)


def main(argv: list[str]) -> int:
    options, runtime = parse_args(argv)
    contract = load_contract(read_contracts(options["contracts"]), options["dataset"])
    dates = [d for d in options["dates"].split(",") if d]
    spark, job = start_spark(options, runtime, f"validate {contract.id}")
    report = validate(spark, contract, dates, options["run_id"], Lake(options["bronze_root"]))
    print(json.dumps(report))
    if "report" in options:
        write_report(options["report"], report)
    if job is not None:
        job.commit()
    return 1 if report["drift"] and options.get("fail_on_drift", "false").lower() == "true" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
