"""One cleansing per silver table at a time.

A cleansing rewrites each silver partition it touches from the silver it read at its start, so
two at once would each drop the other's rows while the ledger lists both runs' batches as
cleansed. The flow looks for active runs of the dataset before StartJobRun
(glue-overlapping-runs.ts), but two flows that look at the same moment both start: this lock
closes that window inside the job.

The lock is `_locks/<source>/<dataset>.lock` in the silver bucket, created only when absent: an
S3 conditional write (`If-None-Match: *`) or, on a local lake, O_EXCL. It is the object the DuckDB
cleansing takes on a local lake (dataset-lock.ts), in the same JSON, so the two engines exclude
each other there too. A waiter takes over a lock whose holder has ended (a Glue job run no longer
active, by GetJobRun, or a process of this host that is gone) by replacing it only while it is
the lock judged (S3 `If-Match` on its ETag). A holder elsewhere is waited for.
"""

from __future__ import annotations

import json
import os
import socket
import time
from contextlib import contextmanager
from functools import cache
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

# States in which a Glue run may still read or write (glue-overlapping-runs.ts: ACTIVE_RUN_STATES).
ACTIVE_GLUE_STATES = frozenset({"STARTING", "RUNNING", "WAITING", "STOPPING"})
# The job's 60-minute timeout (transformation.ts) counts the wait too, and a waiting run bills its
# workers: past this the run fails naming the holder, and the flow's retry of the step waits for
# that run before StartJobRun (glue-overlapping-runs.ts), at no Glue cost, then starts afresh.
DEFAULT_WAIT_SECONDS = 10 * 60
# A lock gone between a refused create and its read: its holder released it, or a conditional
# write of it is still landing (409); a short pause, not a busy loop.
GONE_PAUSE_SECONDS = 0.05
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0


class DatasetLockedError(RuntimeError):
    """Another cleansing of the dataset held its lock for the whole wait."""

    def __init__(
        self,
        dataset: str,
        lock: str,
        holder: dict[str, Any] | None,
        waited_seconds: float,
        *,
        holder_ended: bool = False,
    ):
        who = (
            f"run {holder.get('runId')} (started {holder.get('started')}"
            + (f", Glue job run {holder['glueRunId']}" if holder.get("glueRunId") else f", pid {holder.get('pid')} on {holder.get('host')}")
            + ")"
            if holder
            else "a holder whose lock cannot be read"
        )
        if holder_ended:
            message = (
                f"{dataset}: the lock {lock} of {who}, which has ended, could not be taken over in "
                f"{waited_seconds:.0f} s: another waiter claimed the takeover ({lock}.takeover-*, "
                "on a local lake) and was stopped before finishing it. Delete the lock and the claim, "
                "then run again"
            )
        else:
            message = (
                f"{dataset}: another cleansing holds {lock}: {who}, after waiting {waited_seconds:.0f} s. "
                "Let it finish and run this one again; if that run has ended and its lock stayed, delete the lock"
            )
        super().__init__(message)
        self.dataset = dataset
        self.lock = lock
        self.holder = holder


def lock_key(source: str, dataset: str) -> str:
    """Relative to the silver bucket's root; `_` keeps it out of every table reader's way."""
    return f"_locks/{source}/{dataset}.lock"


def holder(run_id: str, glue_job: str | None = None, glue_run_id: str | None = None) -> dict[str, Any]:
    """Who takes the lock: dataset-lock.ts's fields, and the Glue job run when on Glue."""
    value: dict[str, Any] = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "runId": run_id,
        "started": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    if glue_job and glue_run_id:
        value.update(glueJob=glue_job, glueRunId=glue_run_id)
    return value


def _parse(text: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("pid"), int) or not isinstance(value.get("host"), str):
        return None
    return value


def glue_run_active(glue_client: Any, job: str, run_id: str) -> bool:
    """Whether the job run may still write; a run Glue does not know is not."""
    try:
        run = glue_client.get_job_run(JobName=job, RunId=run_id)["JobRun"]
    except glue_client.exceptions.EntityNotFoundException:
        return False
    return run.get("JobRunState") in ACTIVE_GLUE_STATES


def holder_ended(current: dict[str, Any], glue_client: Callable[[], Any]) -> bool:
    """True when the holder can no longer write: its Glue run is over, or its process is gone."""
    if current.get("glueRunId") and current.get("glueJob"):
        return not glue_run_active(glue_client(), str(current["glueJob"]), str(current["glueRunId"]))
    if current["host"] != socket.gethostname():
        return False
    try:
        os.kill(current["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        # The process exists and belongs to someone else.
        return False
    return False


@contextmanager
def dataset_lock(
    lake: Any,
    source: str,
    dataset: str,
    taker: dict[str, Any],
    *,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    glue_client: Callable[[], Any] | None = None,
    log: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Holds the dataset's lock in `lake` (the silver bucket, a finks_silver.Lake) for the block,
    waiting up to `wait_seconds` for another holder; DatasetLockedError past that."""
    key = lock_key(source, dataset)
    body = (json.dumps(taker) + "\n").encode("utf-8")
    glue = glue_client or _default_glue_client
    started = time.monotonic()
    delay = FIRST_DELAY_SECONDS
    while not lake.create_exclusive(key, body, "application/json"):
        found = lake.read_tagged(key)
        if found is None:
            sleep(GONE_PAUSE_SECONDS)
            continue
        text, tag = found
        # Our own: a retried PutObject whose first attempt had landed (S3 then answers 412).
        if text == body:
            break
        current = _parse(text)
        ended = current is not None and holder_ended(current, glue)
        # Replaced only if still the lock judged: two waiters that judged the same ended holder
        # cannot both take it (a delete, then a create, let each remove the other's).
        if ended and lake.replace_if_unchanged(key, tag, body, "application/json"):
            log(f"{source}.{dataset}: took over the lock {lake.uri(key)} of run {current.get('runId')}, which has ended")
            break
        # A takeover that failed is waited for like a live holder: another waiter took the lock,
        # or (locally) holds the claim to, or was stopped mid-way and left it (the error says so).
        waited = time.monotonic() - started
        if waited >= wait_seconds:
            raise DatasetLockedError(f"{source}.{dataset}", lake.uri(key), current, waited, holder_ended=ended)
        sleep(min(delay, max(0.0, wait_seconds - waited)))
        delay = min(delay * 2, MAX_DELAY_SECONDS)
    try:
        yield
    finally:
        # Only our own lock: one taken over (this run judged ended) belongs to its new holder.
        if lake.read(key) == body:
            lake.delete(key)


@cache  # one client for every look at a holder, not one per look
def _default_glue_client() -> Any:
    import boto3  # present on Glue; a holder on Glue is only judged where boto3 is

    return boto3.client("glue")
