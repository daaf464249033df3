"""One small Spark session for the whole pytest run: the machine is shared and has 2 cores."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

GLUE_SCRIPTS = Path(__file__).resolve().parents[1]
WORKSPACE = GLUE_SCRIPTS.parents[2]
CONTRACTS_JSON = WORKSPACE / "libs" / "contracts" / "generated" / "contracts.json"

sys.path.insert(0, str(GLUE_SCRIPTS))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def contracts_json() -> dict:
    return json.loads(CONTRACTS_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # Python workers import finks_silver; on Glue it ships with --extra-py-files.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GLUE_SCRIPTS), os.environ.get("PYTHONPATH")]))
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("finks-glue-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "768m")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
