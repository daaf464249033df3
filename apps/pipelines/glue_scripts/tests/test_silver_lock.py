"""The dataset lock of the Glue cleansing, on a local lake and on S3 and Glue served by moto."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest

import cleanse_market_data
from bronze_samples import SAMPLE_DATES, bucket, write_sample_lake
from finks_silver import Lake, load_contract
from silver_lock import DatasetLockedError, dataset_lock, holder, lock_key

WORKSPACE = Path(__file__).resolve().parents[4]
RUN = "20261127T060000Z-lock01"


def moto_endpoint() -> str:
    """moto's URL as the project's services script wrote it; the test fails without moto (it
    never skips): `bash tools/dev-env/services.sh start moto`."""
    url = os.environ.get("AWS_ENDPOINT_URL")
    url_file = WORKSPACE / ".finks" / "run" / "moto.url"
    if not url and url_file.exists():
        url = url_file.read_text().strip()
    if not url:
        raise RuntimeError(f"moto is not running: no AWS_ENDPOINT_URL and no {url_file}; start it with bash tools/dev-env/services.sh start moto")
    return url


@pytest.fixture
def aws(monkeypatch):
    endpoint = moto_endpoint()
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    return endpoint


def dead_pid() -> int:
    """The pid of a process of this host that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_one_holder_at_a_time_on_a_local_lake_and_the_lock_goes_with_it(tmp_path):
    silver = Lake(str(tmp_path / "silver"))
    with dataset_lock(silver, "fmp", "eod_prices", holder(RUN), wait_seconds=0):
        lock = tmp_path / "silver" / lock_key("fmp", "eod_prices")
        # dataset-lock.ts reads these fields: the two engines share the lock on a local lake.
        held = json.loads(lock.read_text())
        assert (held["pid"], held["runId"]) == (os.getpid(), RUN)
        with pytest.raises(DatasetLockedError, match=rf"another cleansing holds .*eod_prices\.lock: run {RUN}"):
            with dataset_lock(silver, "fmp", "eod_prices", holder("20261127T060001Z-lock02"), wait_seconds=0):
                pass
        # Another dataset has its own lock.
        with dataset_lock(silver, "fmp", "splits", holder(RUN), wait_seconds=0):
            pass
    assert not lock.exists()


def test_a_lock_whose_process_is_gone_is_taken_over(tmp_path):
    silver = Lake(str(tmp_path / "silver"))
    stale = {**holder("20261127T050000Z-crash1"), "pid": dead_pid()}
    assert silver.create_exclusive(lock_key("fmp", "eod_prices"), json.dumps(stale).encode(), "application/json")
    notes: list[str] = []
    with dataset_lock(silver, "fmp", "eod_prices", holder(RUN), wait_seconds=0, log=notes.append):
        assert json.loads(silver.read(lock_key("fmp", "eod_prices")))["runId"] == RUN
    assert notes and "20261127T050000Z-crash1" in notes[0]


def test_a_waiter_starts_once_the_holder_releases(tmp_path):
    silver = Lake(str(tmp_path / "silver"))
    other = {**holder("20261127T055900Z-other1"), "host": "another-host"}
    key = lock_key("fmp", "eod_prices")
    assert silver.create_exclusive(key, json.dumps(other).encode(), "application/json")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        # The holder on another host ends while this run waits.
        waits.append(seconds)
        if len(waits) == 2:
            silver.delete(key)

    with dataset_lock(silver, "fmp", "eod_prices", holder(RUN), wait_seconds=600, sleep=sleep):
        pass
    assert waits == [1.0, 2.0]


def test_s3_writes_the_lock_only_when_absent(aws):
    name = f"finks-lock-test-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
    silver = Lake(f"s3://{name}/")
    key = lock_key("fmp", "eod_prices")
    assert silver.create_exclusive(key, b"first", "application/json")
    # A second writer is refused by S3 itself (If-None-Match), and the first body stays.
    assert not Lake(f"s3://{name}/").create_exclusive(key, b"second", "application/json")
    assert silver.read(key) == b"first"
    silver.delete(key)
    assert silver.create_exclusive(key, b"third", "application/json")


@pytest.mark.parametrize("where", ["local", "s3"])
def test_a_takeover_replaces_only_the_lock_it_judged(where, tmp_path, request):
    if where == "s3":
        request.getfixturevalue("aws")
        name = f"finks-lock-test-{uuid.uuid4().hex[:12]}"
        boto3.client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
        silver = Lake(f"s3://{name}/")
    else:
        silver = Lake(str(tmp_path / "silver"))
    key = lock_key("fmp", "eod_prices")
    assert silver.create_exclusive(key, b"ended holder", "application/json")
    found = silver.read_tagged(key)
    assert found is not None and found[0] == b"ended holder"
    judged_tag = found[1]
    # Another waiter took the lock over between this one's judgement and its takeover.
    assert silver.replace_if_unchanged(key, judged_tag, b"waiter A", "application/json")
    assert not silver.replace_if_unchanged(key, judged_tag, b"waiter B", "application/json")
    assert silver.read(key) == b"waiter A"
    # Gone: nothing to replace.
    silver.delete(key)
    assert not silver.replace_if_unchanged(key, judged_tag, b"waiter B", "application/json")
    assert silver.read(key) is None


def test_a_local_takeover_claimed_by_another_waiter_is_left_to_it(tmp_path):
    silver = Lake(str(tmp_path / "silver"))
    key = lock_key("fmp", "eod_prices")
    assert silver.create_exclusive(key, b"ended holder", "application/json")
    found = silver.read_tagged(key)
    assert found is not None
    # The claim dataset-lock.ts's removeIfUnchanged takes: <lock>.takeover-<sha256 of it, 16 hex>.
    claim = tmp_path / "silver" / f"{key}.takeover-{hashlib.sha256(b'ended holder').hexdigest()[:16]}"
    claim.write_bytes(b"")
    assert not silver.replace_if_unchanged(key, found[1], b"waiter B", "application/json")
    assert silver.read(key) == b"ended holder"
    claim.unlink()
    assert silver.replace_if_unchanged(key, found[1], b"waiter B", "application/json")
    assert silver.read(key) == b"waiter B"
    assert sorted(p.name for p in claim.parent.iterdir()) == ["eod_prices.lock"]


def test_a_claim_left_by_a_stopped_waiter_is_waited_for_then_named(tmp_path):
    class CountingLake(Lake):
        takeovers = 0

        def replace_if_unchanged(self, *args, **kwargs):
            CountingLake.takeovers += 1
            # A spin on the claim tries thousands of times a second; stop it here, not hang.
            assert CountingLake.takeovers < 50, "spinning on a claim instead of waiting"
            return super().replace_if_unchanged(*args, **kwargs)

    silver = CountingLake(str(tmp_path / "silver"))
    key = lock_key("fmp", "eod_prices")
    stale = json.dumps({**holder("20261127T050000Z-crash1"), "pid": dead_pid()}).encode()
    assert silver.create_exclusive(key, stale, "application/json")
    (tmp_path / "silver" / f"{key}.takeover-{hashlib.sha256(stale).hexdigest()[:16]}").write_bytes(b"")
    with pytest.raises(DatasetLockedError, match=r"could not be taken over .*takeover-\*"):
        with dataset_lock(silver, "fmp", "eod_prices", holder(RUN), wait_seconds=0.3):
            pass
    assert silver.read(key) == stale


def test_a_glue_holder_is_waited_for_while_its_run_is_active_and_taken_over_after(aws):
    name = f"finks-lock-test-{uuid.uuid4().hex[:12]}"
    boto3.client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
    glue = boto3.client("glue")
    job = f"finks-test-cleanse-{uuid.uuid4().hex[:8]}"
    glue.create_job(
        Name=job,
        Role="arn:aws:iam::123456789012:role/glue",
        Command={"Name": "glueetl", "ScriptLocation": "s3://x/y.py"},
        ExecutionProperty={"MaxConcurrentRuns": 3},
    )
    # Stays RUNNING for a minute (tools/dev-env/moto/finks_moto_server.py).
    running = glue.start_job_run(JobName=job, Arguments={"--finks_run_seconds": "60"})["JobRunId"]
    silver = Lake(f"s3://{name}/")
    key = lock_key("fmp", "eod_prices")
    # The same pid and host as this process: only the Glue run's state can say it has ended.
    active = holder("20261127T055800Z-glue01", job, running)
    assert silver.create_exclusive(key, json.dumps(active).encode(), "application/json")
    with pytest.raises(DatasetLockedError, match=rf"Glue job run {running}"):
        with dataset_lock(silver, "fmp", "eod_prices", holder(RUN), wait_seconds=0, glue_client=lambda: glue):
            pass

    # A run that has ended holds nothing, nor does one Glue does not know.
    ended = glue.start_job_run(JobName=job, Arguments={"--finks_run_seconds": "0"})["JobRunId"]
    deadline = time.monotonic() + 30
    while glue.get_job_run(JobName=job, RunId=ended)["JobRun"]["JobRunState"] != "SUCCEEDED":
        assert time.monotonic() < deadline, "moto's run never ended"
        time.sleep(0.2)
    for run_id in (ended, "jr_" + "0" * 64):
        silver.delete(key)
        gone = holder("20261127T055700Z-glue00", job, run_id)
        assert silver.create_exclusive(key, json.dumps(gone).encode(), "application/json")
        notes: list[str] = []
        with dataset_lock(silver, "fmp", "eod_prices", holder(RUN), wait_seconds=0, glue_client=lambda: glue, log=notes.append):
            assert json.loads(silver.read(key))["runId"] == RUN
        assert silver.read(key) is None and "20261127T055700Z-glue00" in notes[0]


def test_a_lock_this_run_already_wrote_is_its_own(tmp_path):
    # A retried PutObject whose first attempt landed finds the run's own lock there (S3 says 412).
    silver = Lake(str(tmp_path / "silver"))
    mine = holder(RUN)
    assert silver.create_exclusive(lock_key("fmp", "eod_prices"), (json.dumps(mine) + "\n").encode(), "application/json")
    with dataset_lock(silver, "fmp", "eod_prices", mine, wait_seconds=0):
        pass
    assert silver.read(lock_key("fmp", "eod_prices")) is None


def test_the_cleansing_waits_for_the_lock_and_writes_nothing_without_it(spark, contracts_json, tmp_path):
    write_sample_lake(tmp_path)
    contract = load_contract(contracts_json, "fmp.eod_prices")
    lakes = [Lake(str(bucket(tmp_path, z))) for z in ("bronze", "silver", "quarantine")]
    silver = lakes[1]
    with dataset_lock(silver, "fmp", "eod_prices", holder("20261127T055600Z-duckdb"), wait_seconds=0):
        with pytest.raises(DatasetLockedError):
            cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes, lock_wait_seconds=0)
        assert not (bucket(tmp_path, "silver") / "source=fmp/dataset=eod_prices").exists()
    summary = cleanse_market_data.cleanse(spark, contract, SAMPLE_DATES, RUN, *lakes, lock_wait_seconds=0)
    assert summary["silver_partitions"]
    assert silver.read(lock_key("fmp", "eod_prices")) is None
