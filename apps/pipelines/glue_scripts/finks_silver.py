"""Shared by the Glue scripts: the dataset contracts, the lake (S3 or a local folder), bronze
manifests and the checked conversion of one bronze record to silver values.

The conversion rules here are the reference the local DuckDB cleansing
(apps/pipelines/src/transformation/bronze-to-silver) mirrors in SQL; the conformance test in
tests/test_conformance.py proves the two agree. Plain Python only (no Spark import), so Glue
can ship it with --extra-py-files and the rules stay testable without a JVM.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, Iterable, Iterator

# --- contracts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    source_field: str | None
    encoding: str
    allowed_values: tuple[str, ...] | None
    # A regular expression a json_string value must match in full (contracts.json `pattern`).
    pattern: str | None = None


@dataclass(frozen=True)
class Invariant:
    name: str
    description: str
    sql: str
    columns: tuple[str, ...]
    reported_at: str


@dataclass(frozen=True)
class Contract:
    id: str
    source: str
    dataset: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    cursor: str | None
    partition_from: str
    invariants: tuple[Invariant, ...]
    patterns: dict[str, str]
    # The JSON types a raw value of each encoding may take (null aside): another type is a type
    # change at the source (validate_schemas.py).
    json_types: dict[str, frozenset[str]]
    # Raw fields silver leaves out on purpose: not drift (validate_schemas.py).
    ignored_fields: frozenset[str] = frozenset()

    @property
    def data_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.encoding != "pipeline")

    @property
    def version_key(self) -> tuple[str, ...]:
        """Silver keeps one row per primary key, cursor value and dt partition: the contract
        says silver may hold several versions of an entity (one per load), so a newer cursor
        is a new version, while the same version fetched twice is a duplicate."""
        key = list(self.primary_key)
        if self.cursor is not None and self.cursor not in key:
            key.append(self.cursor)
        key.append("dt")
        return tuple(key)


def _condition_columns(condition: dict[str, Any]) -> list[str]:
    columns = [condition["column"]]
    right = condition.get("right")
    if isinstance(right, dict) and "column" in right:
        columns.append(right["column"])
    return columns


def load_contract(contracts_json: dict[str, Any], contract_id: str) -> Contract:
    if contracts_json.get("format_version") != 1:
        raise ValueError(
            f"contracts.json has format_version {contracts_json.get('format_version')!r}; "
            "this job reads version 1 (regenerate with `npx nx run contracts:generate`)"
        )
    found = [c for c in contracts_json["contracts"] if c["id"] == contract_id]
    if not found:
        known = ", ".join(c["id"] for c in contracts_json["contracts"])
        raise ValueError(f"no contract {contract_id!r} in contracts.json (known: {known})")
    raw = found[0]
    columns = tuple(
        Column(
            name=c["name"],
            type=c["type"],
            nullable=c["nullable"],
            source_field=c["source_field"],
            encoding=c["encoding"],
            allowed_values=tuple(c["allowed_values"]) if "allowed_values" in c else None,
            pattern=c.get("pattern"),
        )
        for c in raw["columns"]
    )
    source_of = {c.name: c.source_field or c.name for c in columns}
    invariants = []
    for inv in raw.get("invariants", []):
        cols: list[str] = []
        for cond in [inv.get("when"), inv["require"]]:
            if cond is not None:
                cols.extend(x for x in _condition_columns(cond) if x not in cols)
        invariants.append(
            Invariant(
                name=inv["name"],
                description=inv["description"],
                sql=inv["sql"],
                columns=tuple(cols),
                reported_at=source_of.get(inv["require"]["column"], inv["require"]["column"]),
            )
        )
    patterns = {
        name: enc["pattern"] for name, enc in contracts_json["encodings"].items() if "pattern" in enc
    }
    json_types = {name: frozenset(enc["jsonTypes"]) for name, enc in contracts_json["encodings"].items()}
    return Contract(
        id=raw["id"],
        source=raw["source"],
        dataset=raw["dataset"],
        columns=columns,
        primary_key=tuple(raw["primary_key"]),
        cursor=raw["cursor"],
        partition_from=raw["partition"]["derived_from"],
        invariants=tuple(invariants),
        patterns=patterns,
        json_types=json_types,
        ignored_fields=frozenset(f["field"] for f in raw.get("ignored_fields", [])),
    )


def read_contracts(location: str) -> dict[str, Any]:
    if location.startswith("s3://"):
        bucket, _, key = location[len("s3://") :].partition("/")
        body = Lake(f"s3://{bucket}/").read(key)
        if body is None:
            raise FileNotFoundError(location)
        return json.loads(body)
    with open(location, encoding="utf-8") as f:
        return json.load(f)


# --- the lake --------------------------------------------------------------------------------


class Lake:
    """A bucket root, `s3://bucket/` or a local folder (`<lakeRoot>/<bucket>`)."""

    def __init__(self, root: str):
        self.root = root if root.endswith("/") else root + "/"
        self.is_s3 = root.startswith("s3://")
        self._s3 = None
        self._s3_if_absent = None

    def uri(self, key: str) -> str:
        return self.root + key

    def _client(self):
        if self._s3 is None:
            import boto3  # present on Glue; only needed for s3:// roots

            self._s3 = boto3.client("s3")
        return self._s3

    def _bucket_key(self, key: str) -> tuple[str, str]:
        bucket, _, prefix = self.root[len("s3://") :].partition("/")
        return bucket, prefix + key

    def list(self, prefix: str) -> list[str]:
        """Keys under `prefix`, relative to the root."""
        if self.is_s3:
            bucket, full = self._bucket_key(prefix)
            base = self._bucket_key("")[1]
            keys: list[str] = []
            for page in self._client().get_paginator("list_objects_v2").paginate(
                Bucket=bucket, Prefix=full
            ):
                keys.extend(o["Key"][len(base) :] for o in page.get("Contents", []))
            return sorted(keys)
        folder = self.uri(prefix)
        if not os.path.isdir(folder):
            return []
        keys = []
        for dirpath, _, files in os.walk(folder):
            for name in files:
                keys.append(os.path.relpath(os.path.join(dirpath, name), self.root))
        return sorted(k.replace(os.sep, "/") for k in keys)

    def read(self, key: str) -> bytes | None:
        if self.is_s3:
            bucket, full = self._bucket_key(key)
            try:
                return self._client().get_object(Bucket=bucket, Key=full)["Body"].read()
            except self._client().exceptions.NoSuchKey:
                return None
        try:
            with open(self.uri(key), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def write(self, key: str, body: bytes, content_type: str) -> None:
        if self.is_s3:
            bucket, full = self._bucket_key(key)
            self._client().put_object(Bucket=bucket, Key=full, Body=body, ContentType=content_type)
            return
        path = self.uri(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(body)

    def create_exclusive(self, key: str, body: bytes, content_type: str) -> bool:
        """Writes `key` only when it does not exist; False when it does (silver_lock.py)."""
        if self.is_s3:
            from botocore.exceptions import ClientError

            bucket, full = self._bucket_key(key)
            try:
                self._conditional_client().put_object(Bucket=bucket, Key=full, Body=body, ContentType=content_type)
            except ClientError as error:
                # 412: the object exists; 409: another conditional write of it is in flight.
                if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (409, 412):
                    return False
                raise
            return True
        path = self.uri(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        return True

    def read_tagged(self, key: str) -> tuple[bytes, str] | None:
        """The object's bytes and a tag that changes with them (S3: its ETag; locally: a digest
        of the bytes), for replace_if_unchanged; None when it does not exist."""
        if self.is_s3:
            bucket, full = self._bucket_key(key)
            try:
                found = self._client().get_object(Bucket=bucket, Key=full)
            except self._client().exceptions.NoSuchKey:
                return None
            return found["Body"].read(), found["ETag"]
        body = self.read(key)
        return None if body is None else (body, hashlib.sha256(body).hexdigest())

    def replace_if_unchanged(self, key: str, tag: str, body: bytes, content_type: str) -> bool:
        """Writes `key` only while it still has `tag` (read_tagged); False when it changed or is
        gone. On S3 an `If-Match` write; locally a claimed compare-and-remove, then O_EXCL."""
        if self.is_s3:
            from botocore.exceptions import ClientError

            bucket, full = self._bucket_key(key)
            try:
                self._conditional_client(("If-Match", tag)).put_object(
                    Bucket=bucket, Key=full, Body=body, ContentType=content_type
                )
            except ClientError as error:
                # 412: changed; 404: gone; 409: another conditional write of it is in flight.
                if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (404, 409, 412):
                    return False
                raise
            return True
        # Locally: the replacement of a given content is claimed first (dataset-lock.ts'
        # removeIfUnchanged, the same claim file): one caller alone checks and removes it, then
        # O_EXCL writes the new one. A rename aside and back could move a lock just taken.
        path = self.uri(key)
        claim = f"{path}.takeover-{tag[:16]}"
        try:
            os.close(os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            return False
        try:
            current = self.read(key)
            if current is None or hashlib.sha256(current).hexdigest() != tag:
                return False
            os.remove(path)
        finally:
            os.remove(claim)
        return self.create_exclusive(key, body, content_type)

    def _conditional_client(self, header: tuple[str, str] = ("If-None-Match", "*")):
        """A client whose PutObject carries `header`. Set as a header rather than the IfNoneMatch
        or IfMatch parameter, which botocore releases before 1.35 (Glue's may be one) lack. The
        `If-None-Match: *` one is kept; an `If-Match` one (a takeover, rare) is made each time."""
        if header == ("If-None-Match", "*") and self._s3_if_absent is not None:
            return self._s3_if_absent
        import boto3

        client = boto3.client("s3")
        name, value = header

        def add_header(request, **_):
            request.headers[name] = value

        client.meta.events.register("before-sign.s3.PutObject", add_header)
        if header == ("If-None-Match", "*"):
            self._s3_if_absent = client
        return client

    def delete(self, key: str) -> None:
        if self.is_s3:
            bucket, full = self._bucket_key(key)
            self._client().delete_object(Bucket=bucket, Key=full)
            return
        try:
            os.remove(self.uri(key))
        except FileNotFoundError:
            pass

    def delete_prefix(self, prefix: str) -> None:
        keys = self.list(prefix)
        if self.is_s3:
            bucket, _ = self._bucket_key("")
            for start in range(0, len(keys), 1000):
                chunk = [{"Key": self._bucket_key(k)[1]} for k in keys[start : start + 1000]]
                self._client().delete_objects(Bucket=bucket, Delete={"Objects": chunk})
            return
        for key in keys:
            os.remove(self.uri(key))


def partition_prefix(contract: Contract, dt_value: str) -> str:
    return f"source={contract.source}/dataset={contract.dataset}/dt={dt_value}/"


MANIFEST = "_manifest.json"


def json_object(body: bytes, what: str, fix: str) -> dict[str, Any]:
    """The JSON object in `body`, or an error naming the file and how to recover."""
    try:
        value = json.loads(body)
    except ValueError as error:
        raise ValueError(f"{what} is not JSON ({error}); {fix}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{what} is not a JSON object; {fix}")
    return value


@dataclass(frozen=True)
class BronzeBatch:
    """A complete bronze batch (one run's output in one dt): the parts its manifest lists."""

    dt: str
    run_id: str
    # The manifest's createdAt: a batch written again (a retried run) is a new version of it.
    written_at: str
    keys: tuple[str, ...]


def manifested_batches(bronze: Lake, contract: Contract, dates: Iterable[str]) -> list[BronzeBatch]:
    """The complete batches of `dates`. A run without a manifest is incomplete (its writer may
    have crashed), so its parts are never read."""
    batches: list[BronzeBatch] = []
    for day in sorted(set(dates)):
        for key in sorted(bronze.list(partition_prefix(contract, day))):
            if not key.endswith("/" + MANIFEST):
                continue
            body = bronze.read(key)
            if body is None:
                continue
            manifest = json_object(
                body,
                f"bronze manifest {key}",
                "rerun the ingestion that wrote the batch, or move the run folder aside to skip it",
            )
            run_id = key.split("/")[-2][len("run=") :]
            batches.append(BronzeBatch(day, run_id, *manifest_fields(manifest, key)))
    return batches


def manifest_fields(manifest: dict[str, Any], key: str) -> tuple[str, tuple[str, ...]]:
    """The createdAt and part keys of a bronze manifest (libs/contracts' BatchManifest), or an
    error naming every field the job needs that is wrong."""
    problems = []
    created_at = manifest.get("createdAt")
    if not isinstance(created_at, str) or created_at == "":
        problems.append("createdAt: expected an ISO-8601 time")
    parts = manifest.get("parts")
    if not isinstance(parts, list):
        problems.append("parts: expected a list of {key, rows, bytes, sha256}")
        parts = []
    # Part keys are joined to the lake root: each must stay inside the manifest's own run folder
    # (libs/contracts' parseBatchManifest), or `../` reads any file and another run's key loads
    # that run's rows under this run's id.
    run_folder = key[: -len(MANIFEST)]
    for index, part in enumerate(parts):
        if not isinstance(part, dict) or not isinstance(part.get("key"), str) or part["key"] == "":
            problems.append(f"parts.{index}.key: expected the part's key")
        elif not part["key"].startswith(run_folder):
            problems.append(f"parts.{index}.key: {part['key']!r} must start with this run's folder {run_folder!r}")
        elif any(segment in ("", ".", "..") for segment in part["key"].split("/")):
            problems.append(f"parts.{index}.key: {part['key']!r} has an empty, '.' or '..' segment")
    if problems:
        raise ValueError(
            f"bronze manifest {key} cannot be read: {'; '.join(problems)}; rerun the ingestion that "
            "wrote the batch, or move the run folder aside to skip it"
        )
    return created_at, tuple(part["key"] for part in parts)


DT_FOLDER = re.compile(r"dt=(\d{4}-\d{2}-\d{2})/")


def dt_partitions(lake: Lake, contract: Contract) -> set[str]:
    """The dt partitions the dataset has in `lake` (bronze or silver: both lay it out alike)."""
    prefix = f"source={contract.source}/dataset={contract.dataset}/"
    return {m.group(1) for key in lake.list(prefix) if (m := DT_FOLDER.match(key[len(prefix) :]))}


def bronze_dates(bronze: Lake, contract: Contract) -> list[str]:
    """Every bronze dt partition of the dataset, in order (a rebuild reads them all)."""
    return sorted(dt_partitions(bronze, contract))


def remove_partitions_except(silver: Lake, contract: Contract, keep: Iterable[str]) -> None:
    """Deletes the table's dt partitions other than `keep` (a rebuild gave them no rows)."""
    for day in sorted(dt_partitions(silver, contract) - set(keep)):
        silver.delete_prefix(partition_prefix(contract, day))


# The silver zone's ledger of cleansed bronze batches (lake-paths' cleansedBatchKey): outside
# every table's location, so a scheduled run reads only the batches that arrived since.
def cleansed_dataset_prefix(contract: Contract) -> str:
    return f"_cleansed/source={contract.source}/dataset={contract.dataset}/"


def cleansed_batch_key(contract: Contract, batch: BronzeBatch) -> str:
    return f"_cleansed/{partition_prefix(contract, batch.dt)}run={batch.run_id}/cleansed.json"


def is_cleansed(silver: Lake, contract: Contract, batch: BronzeBatch) -> bool:
    """Whether the ledger lists this version of the batch (the same bronze manifest write)."""
    key = cleansed_batch_key(contract, batch)
    body = silver.read(key)
    if body is None:
        return False
    entry = json_object(body, f"silver ledger entry {key}", "delete it and the batch is cleansed again (reruns are idempotent)")
    return entry.get("bronzeWrittenAt") == batch.written_at


def record_cleansed(silver: Lake, contract: Contract, batch: BronzeBatch, run_id: str, quarantined: int) -> None:
    """Written once the batch's rows are in silver: a run that fails before leaves it pending."""
    entry = {
        "version": 1,
        "bronzeWrittenAt": batch.written_at,
        "cleansedBy": run_id,
        "cleansedAt": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
        "quarantined": quarantined,
    }
    silver.write(cleansed_batch_key(contract, batch), json.dumps(entry, indent=2).encode(), "application/json")


# --- checked conversions ---------------------------------------------------------------------

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Python datetimes hold years 1-9999; DuckDB's hold more, so both engines cap here.
MIN_SECONDS, MAX_SECONDS = -62135596800, 253402300799
EPOCH = dt.datetime(1970, 1, 1)
WIDE = Context(prec=80)
DECIMAL_TYPE = re.compile(r"^decimal\((\d+),(\d+)\)$")
ISO_INSTANT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$",
    re.ASCII,
)
LONG_STRING = re.compile(r"^-?\d{1,19}$", re.ASCII)


class Reject(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _finite(v: Any) -> Any:
    if isinstance(v, (float, Decimal)) and not math.isfinite(v):
        raise Reject("invalid_value", "is not a finite number")
    if isinstance(v, int) and not isinstance(v, bool):
        # An integer literal beyond a double's range: DuckDB's reader makes it an infinite double,
        # and float() here raised OverflowError, which failed the whole job on one record.
        try:
            float(v)
        except OverflowError:
            raise Reject("invalid_value", "is not a finite number") from None
    return v


def _match(pattern: str, value: str, what: str) -> None:
    if re.fullmatch(pattern, value, re.ASCII) is None:
        raise Reject("invalid_value", f"is not {what}")


def _to_bigint(v: Any) -> int:
    """A JSON number or decimal text to int64; fractional or out-of-range values are rejected.
    Goes through a double, as DuckDB's JSON reader does, so both engines agree."""
    f = float(v)
    if not math.isfinite(f):
        raise Reject("invalid_value", "is not a finite number")
    if not f.is_integer():
        raise Reject("invalid_value", "is not a whole number")
    if not (-9223372036854775808.0 <= f < 9223372036854775808.0):
        raise Reject("invalid_value", "is outside the bigint range")
    if isinstance(v, int) and INT64_MIN <= v <= INT64_MAX:
        return v
    return int(f)


def _to_decimal(text: str, silver_type: str) -> Decimal:
    match = DECIMAL_TYPE.match(silver_type)
    assert match is not None
    precision, scale = int(match.group(1)), int(match.group(2))
    try:
        # Python's default context keeps 28 digits; silver decimals hold up to 38.
        value = Decimal(text).quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP, context=WIDE)
    except InvalidOperation:
        raise Reject("invalid_value", f"does not fit {silver_type}") from None
    if abs(value) >= Decimal(10) ** (precision - scale):
        raise Reject("invalid_value", f"does not fit {silver_type}")
    return value


def _number_text(v: Any) -> str:
    """A JSON number's text as a JSON engine that keeps numbers as int64/uint64/double sees it
    (DuckDB's reader does): integers in range exactly, anything else as the shortest double."""
    if isinstance(v, int) and INT64_MIN <= v < 2**64:
        return str(v)
    return repr(float(v))


def parse_instant(text: str) -> dt.datetime:
    """ISO 8601 with a zone to a naive UTC datetime, microseconds truncated."""
    m = ISO_INSTANT.fullmatch(text)
    if m is None:
        raise Reject("invalid_value", "is not an ISO-8601 instant with a zone")
    y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
    s = int(m.group(6) or 0)
    micros = int((m.group(7) or "").ljust(6, "0")[:6])
    try:
        local = dt.datetime(y, mo, d, h, mi, s, micros)
    except ValueError:
        raise Reject("invalid_value", "is not a real date and time") from None
    offset = 0
    if m.group(8) != "Z":
        oh, om = int(m.group(10)), int(m.group(11))
        if oh > 23 or om > 59:
            raise Reject("invalid_value", "has an invalid zone offset")
        offset = (oh * 60 + om) * (1 if m.group(9) == "+" else -1)
    try:
        return local - dt.timedelta(minutes=offset)
    except OverflowError:
        raise Reject("invalid_value", "is outside years 1-9999") from None


def _from_epoch(seconds: int, micros: int = 0) -> dt.datetime:
    if not (MIN_SECONDS <= seconds <= MAX_SECONDS):
        raise Reject("invalid_value", "is outside years 1-9999")
    return EPOCH + dt.timedelta(seconds=seconds, microseconds=micros)


def _empty_means_null(column: Column, v: Any) -> bool:
    return v == "" and column.encoding in ("numeric_string", "iso_date", "fmp_datetime")


def convert_value(column: Column, v: Any, patterns: dict[str, str]) -> Any:
    """The silver value of one raw value, or Reject. `None` means SQL NULL."""
    if v is None or (_empty_means_null(column, v) and column.nullable):
        if not column.nullable:
            raise Reject("required", "is required")
        return None
    if _empty_means_null(column, v):
        raise Reject("required", "is required")
    enc, typ = column.encoding, column.type
    if enc == "json_string":
        if not isinstance(v, str):
            raise Reject("invalid_type", "expected a string")
        if column.allowed_values is not None and v not in column.allowed_values:
            raise Reject("invalid_value", "is not one of " + ", ".join(column.allowed_values))
        if column.pattern is not None and re.fullmatch(column.pattern, v, re.ASCII) is None:
            raise Reject("invalid_value", f"does not match the contract's pattern {column.pattern}")
        return v
    if enc == "json_boolean":
        if not isinstance(v, bool):
            raise Reject("invalid_type", "expected a boolean")
        return v
    if enc in ("json_number", "numeric_string"):
        if isinstance(v, str) and enc == "numeric_string":
            _match(patterns["numeric_string"], v, "a decimal number")
            number: Any = Decimal(v)
        elif _is_number(v):
            number = _finite(v)
        else:
            raise Reject("invalid_type", "expected a number")
        if typ == "bigint":
            return _to_bigint(number)
        if typ == "double":
            f = float(number)
            if not math.isfinite(f):
                raise Reject("invalid_value", "is not a finite number")
            return f
        return _to_decimal(v if isinstance(v, str) else _number_text(number), typ)
    if enc == "iso_date":
        if not isinstance(v, str):
            raise Reject("invalid_type", "expected a date string")
        _match(patterns["iso_date"], v, "a date YYYY-MM-DD in years 0100-9999")
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise Reject("invalid_value", "is not a real calendar date") from None
    if enc == "fmp_datetime":
        if not isinstance(v, str):
            raise Reject("invalid_type", "expected a datetime string")
        _match(patterns["fmp_datetime"], v, "a datetime YYYY-MM-DD HH:MM:SS in years 0100-9999")
        try:
            return dt.datetime.strptime(v, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise Reject("invalid_value", "is not a real date and time") from None
    if enc == "unix_seconds":
        if not _is_number(v):
            raise Reject("invalid_type", "expected a number")
        _finite(v)
        if not float(v).is_integer():
            raise Reject("invalid_value", "is not a whole number of seconds")
        # Unix seconds count from 1970, as the contract's unixSeconds() says: none are negative.
        if float(v) < 0:
            raise Reject("invalid_value", "is negative: unix seconds start at 1970-01-01")
        if float(v) > MAX_SECONDS:
            raise Reject("invalid_value", "is after 9999-12-31 (milliseconds?)")
        return _from_epoch(int(v))
    if enc == "mongo_object_id":
        oid = v.get("$oid") if isinstance(v, dict) else v
        if not isinstance(oid, str):
            raise Reject("invalid_type", "expected an ObjectId")
        _match(patterns["mongo_object_id"], oid, "an ObjectId (24 hex characters)")
        return oid.lower()
    if enc == "mongo_date":
        inner = v.get("$date") if isinstance(v, dict) else v
        if isinstance(inner, str):
            return parse_instant(inner)
        if isinstance(inner, dict) and isinstance(inner.get("$numberLong"), str):
            text = inner["$numberLong"]
            if LONG_STRING.match(text) is None:
                raise Reject("invalid_value", "is not epoch milliseconds")
            millis = int(text)
        elif isinstance(v, dict) and _is_number(inner):
            _finite(inner)
            if not float(inner).is_integer():
                raise Reject("invalid_value", "is not whole epoch milliseconds")
            millis = int(inner)
        else:
            raise Reject("invalid_type", "expected an ISO-8601 string or {$date}")
        if not (MIN_SECONDS * 1000 <= millis <= MAX_SECONDS * 1000 + 999):
            raise Reject("invalid_value", "is outside years 1-9999")
        return _from_epoch(millis // 1000, (millis % 1000) * 1000)
    if enc == "mongo_number":
        if isinstance(v, dict):
            texts = [v[k] for k in ("$numberDecimal", "$numberDouble", "$numberLong", "$numberInt") if k in v]
            if len(texts) != 1 or not isinstance(texts[0], str):
                raise Reject("invalid_type", "expected a number or extended JSON number")
            _match(patterns["mongo_number"], texts[0], "a decimal number")
            text = texts[0]
        elif _is_number(v):
            _finite(v)
            text = _number_text(v)
        else:
            raise Reject("invalid_type", "expected a number")
        if typ == "double":
            return float(text)
        if typ == "bigint":
            return _to_bigint(Decimal(text))
        return _to_decimal(text, typ)
    raise ValueError(f"column {column.name}: encoding {enc} is not readable from a record")


def _reject_constant(name: str) -> float:
    return float(name)  # NaN, Infinity: kept as floats, rejected as not finite


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


_WHITESPACE = " \t\n\r"
_NON_FINITE = {"inf": "Infinity", "infinity": "Infinity", "nan": "NaN"}


def _as_duckdb_reads(line: str) -> str | None:
    """The line rewritten to strict JSON where DuckDB's reader (yyjson with trailing commas and
    inf/nan allowed) takes what Python's json does not: commas before a closing bracket, and
    inf, infinity and nan in any case (signed inf too). None when there is nothing to rewrite.
    Only lines Python's json refused come here, so the scan costs nothing on good bronze."""
    out: list[str] = []
    changed = False
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch == '"':  # copy a string, escapes included, untouched
            j = i + 1
            while j < n and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            out.append(line[i : j + 1])
            i = j + 1
            continue
        if ch == ",":
            j = i + 1
            while j < n and line[j] in _WHITESPACE:
                j += 1
            if j < n and line[j] in "}]":
                changed = True
                i += 1
                continue
        if ch.isalpha() or (ch == "-" and i + 1 < n and line[i + 1].isalpha()):
            j = i + 1
            while j < n and line[j].isalpha():
                j += 1
            word = line[i:j]
            sign, bare = ("-", word[1:]) if word.startswith("-") else ("", word)
            literal = _NON_FINITE.get(bare.lower())
            if literal is not None and not (sign and literal == "NaN"):
                out.append(sign + literal)
                changed = changed or (sign + literal) != word
                i = j
                continue
            out.append(word)
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out) if changed else None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


_PARSE: dict[str, Any] = {"parse_float": Decimal, "parse_constant": _reject_constant}

# A member's name ends with `"`, JSON whitespace, then `:`; inside a string a `"` is escaped, so
# this counts every member of the line and, at most, a few look-alikes inside strings. The local
# cleansing (bronze-to-silver.ts) counts with the same pattern.
_MEMBER_END = re.compile(r'"[ \t\n\r]*:')


def _members(value: Any) -> int:
    if isinstance(value, dict):
        return len(value) + sum(_members(v) for v in value.values())
    if isinstance(value, list):
        return sum(_members(v) for v in value)
    return 0


def _may_repeat_a_key(line: str, value: Any) -> bool:
    """False when no object of the line repeats a key: the parsed objects then hold as many
    members as the text names. A hook per object on every line would cost ~1.7× the parse; this
    check costs a scan of the text, and only lines it cannot clear are parsed again."""
    return _members(value) < len(_MEMBER_END.findall(line))


def _first_of_each_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, item in pairs:
        kept.setdefault(key, item)
    return kept


def parse_line(line: str) -> Any:
    """A bronze line as DuckDB's JSON reader reads it, so that the local cleansing and this
    job agree on every line (tests/test_conformance.py): what yyjson takes beyond RFC 8259 is
    taken, and a lone UTF-16 surrogate escape (which yyjson refuses) is refused; of a key
    repeated in one object the first occurrence counts, as in yyjson (Python's json keeps the
    last). Raises ValueError for a line that is not JSON."""
    try:
        value = json.loads(line, **_PARSE)
    except ValueError:
        rewritten = _as_duckdb_reads(line)
        if rewritten is None:
            raise
        line = rewritten
        value = json.loads(line, **_PARSE)
    if _may_repeat_a_key(line, value):
        value = json.loads(line, object_pairs_hook=_first_of_each_key, **_PARSE)
    # Python decodes an unpaired \ud800 escape into a lone surrogate; a pair into one character.
    if "\\u" in line and _SURROGATE_ESCAPE.search(line) and _has_lone_surrogate(value):
        raise ValueError("the line holds an unpaired UTF-16 surrogate escape")
    return value


def reason(path: str, code: str, message: str) -> dict[str, str]:
    return {"path": path, "code": code, "message": message}


def convert_record(contract: Contract, line: str) -> tuple[dict[str, Any], list[dict[str, str]], set[str], dict[str, Any]]:
    """One bronze line to (silver values by column, reasons, columns that failed, envelope
    metadata). Invariants are not checked here: they run as the contract's SQL in the engine."""
    values: dict[str, Any] = {c.name: None for c in contract.columns}
    meta: dict[str, Any] = {"source_offset": None}
    try:
        envelope = parse_line(line)
    except ValueError:
        return values, [reason("", "invalid_json", "the line is not JSON")], set(values), meta
    if not isinstance(envelope, dict):
        return values, [reason("", "invalid_envelope", "the line is not a JSON object")], set(values), meta
    reasons: list[dict[str, str]] = []
    failed: set[str] = set()
    offset = envelope.get("source_offset")
    meta["source_offset"] = offset if isinstance(offset, str) else None
    fetched_at, run_id = envelope.get("fetched_at"), envelope.get("run_id")
    try:
        if not isinstance(fetched_at, str):
            raise Reject("invalid_envelope", "fetched_at is missing")
        values["ingested_at"] = parse_instant(fetched_at)
    except Reject as rej:
        reasons.append(reason("fetched_at", "invalid_envelope", "fetched_at " + rej.message))
        failed.add("ingested_at")
    if isinstance(run_id, str) and run_id != "":
        values["ingestion_run_id"] = run_id
    else:
        reasons.append(reason("run_id", "invalid_envelope", "run_id is missing"))
        failed.add("ingestion_run_id")
    payload = envelope.get("payload")
    if not isinstance(payload, dict):
        reasons.append(reason("payload", "invalid_envelope", "payload is not a JSON object"))
        return values, reasons, failed | {c.name for c in contract.data_columns}, meta
    for column in contract.data_columns:
        field = column.source_field or column.name
        try:
            values[column.name] = convert_value(column, payload.get(field), contract.patterns)
        except Reject as rej:
            reasons.append(reason(field, rej.code, rej.message))
            failed.add(column.name)
    return values, reasons, failed, meta


def invariant_reason(invariant: Invariant) -> dict[str, str]:
    return reason(
        invariant.reported_at,
        "invariant",
        f"{invariant.description} (invariant {invariant.name})",
    )


# --- quarantine ------------------------------------------------------------------------------


def quarantine_record(line: str, reasons: list[dict[str, str]], run_id: str) -> dict[str, Any]:
    """The bronze envelope as it was (raw payload included) plus why it was rejected. A line
    that is not strict JSON (NaN, Infinity, trailing commas…) is kept as `raw_line`, as the
    local cleansing does, so the quarantine file stays readable by any JSON parser; so is a
    line that may repeat a key, which no object could show as it arrived."""
    try:
        envelope = json.loads(line, parse_constant=_refuse_constant)
    except ValueError:
        envelope = None
    if envelope is not None and _may_repeat_a_key(line, envelope):
        envelope = None
    base = envelope if isinstance(envelope, dict) else {"raw_line": line}
    return {**base, "reasons": reasons, "rejected_by": {"stage": "bronze_to_silver", "run_id": run_id}}


def cleansing_rejects_prefix(contract: Contract, day: str, bronze_run: str) -> str:
    """`…/dt=<bronze dt>/run=<bronze run>/stage=bronze_to_silver/`: lake-paths'
    cleansingRejectsPrefix. Keyed by the bronze batch, so cleansing it again replaces its rejects
    instead of adding a copy, beside (never over) what the ingestion rejected."""
    return f"{partition_prefix(contract, day)}run={bronze_run}/stage=bronze_to_silver/"


def write_quarantine(
    quarantine: Lake,
    contract: Contract,
    run_id: str,
    rejects_by_batch: dict[tuple[str, str], list[dict[str, Any]]],
    batches: Iterable[tuple[str, str]],
) -> dict[tuple[str, str], int]:
    """Replaces the rejects of every (bronze dt, bronze run) batch read (part-00000 + manifest); a
    batch with none now loses any an earlier cleansing filed for it."""
    import hashlib

    counts: dict[tuple[str, str], int] = {}
    for day, bronze_run in sorted(set(batches)):
        prefix = cleansing_rejects_prefix(contract, day, bronze_run)
        quarantine.delete_prefix(prefix)
        rows = rejects_by_batch.get((day, bronze_run), [])
        counts[(day, bronze_run)] = len(rows)
        if not rows:
            continue
        body = gzip.compress("".join(json.dumps(r, default=str) + "\n" for r in rows).encode("utf-8"))
        part_key = prefix + "part-00000.ndjson.gz"
        quarantine.write(part_key, body, "application/x-ndjson")
        manifest = {
            "version": 1,
            "zone": "quarantine",
            "source": contract.source,
            "dataset": contract.dataset,
            "dt": day,
            "runId": bronze_run,
            "stage": "bronze_to_silver",
            "rejectedBy": run_id,
            "createdAt": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
            "rowCount": len(rows),
            "parts": [
                {
                    "key": part_key,
                    "rows": len(rows),
                    "bytes": len(body),
                    "sha256": hashlib.sha256(body).hexdigest(),
                }
            ],
        }
        quarantine.write(prefix + MANIFEST, json.dumps(manifest, indent=2).encode(), "application/json")
    return counts


def iter_lines(body: bytes) -> Iterator[str]:
    for line in gzip.decompress(body).decode("utf-8").split("\n"):
        if line != "":
            yield line


def start_spark(options: dict[str, str], runtime: str | None, app_name: str) -> tuple[Any, Any]:
    """The Spark session of a job run, and its Glue `Job` (None on plain Spark).

    On Glue, GlueContext provides the session and the job (init, commit); elsewhere a plain
    SparkSession, with this module sent to the executors — Glue ships it with --extra-py-files.
    """
    if runtime == "glue":
        from awsglue.context import GlueContext  # type: ignore[import-not-found]
        from awsglue.job import Job  # type: ignore[import-not-found]
        from pyspark.context import SparkContext

        glue_context = GlueContext(SparkContext.getOrCreate())
        job = Job(glue_context)
        job.init(options["JOB_NAME"], options)
        return glue_context.spark_session, job
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(app_name).getOrCreate()
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    return spark, None
