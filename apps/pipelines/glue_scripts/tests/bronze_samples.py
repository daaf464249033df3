"""A small bronze lake in ingestion's format (apps/ingestion/src/lake/manifest.ts): gzip NDJSON
envelopes `{source, dataset, endpoint, request, fetched_at, run_id, source_offset, payload}` and
a `_manifest.json` per run listing its parts. Good records, duplicates across runs and bad
records of every kind the contracts reject, for the unit and conformance tests."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"
RUN_1 = "20261124T220000Z-aaaa01"
RUN_2 = "20261125T220000Z-bbbb02"
RUN_3 = "20261125T220000Z-cccc03"  # same start second as RUN_2: the suffix breaks the tie
RUN_UNFINISHED = "20261125T230000Z-dead00"


def bucket(lake_root: Path, zone: str) -> Path:
    return lake_root / f"finks-local-{zone}-{ACCOUNT}"


def envelope(source: str, dataset: str, run_id: str, fetched_at: str, offset: int, payload: Any) -> str:
    return json.dumps(
        {
            "source": source,
            "dataset": dataset,
            "endpoint": f"/stable/{dataset}",
            "request": {"symbol": "X"},
            "fetched_at": fetched_at,
            "run_id": run_id,
            "source_offset": f"{dataset}#{offset}",
            "payload": payload,
        }
    )


def write_run(
    lake_root: Path,
    source: str,
    dataset: str,
    day: str,
    run_id: str,
    lines: list[str],
    manifest: bool = True,
    newline: str = "\n",
) -> None:
    prefix = f"source={source}/dataset={dataset}/dt={day}/run={run_id}/"
    folder = bucket(lake_root, "bronze") / prefix
    folder.mkdir(parents=True, exist_ok=True)
    body = gzip.compress((newline.join(lines) + newline).encode("utf-8"))
    # As the connector counts: no blank lines; a lone \r ends a line as \n does.
    records = sum(1 for line in lines for part in line.split("\r") if part != "")
    (folder / "part-00000.ndjson.gz").write_bytes(body)
    if manifest:
        doc = {
            "version": 1,
            "zone": "bronze",
            "source": source,
            "dataset": dataset,
            "dt": day,
            "runId": run_id,
            "createdAt": "2026-11-25T22:00:01.000Z",
            "rowCount": records,
            "parts": [
                {
                    "key": prefix + "part-00000.ndjson.gz",
                    "rows": records,
                    "bytes": len(body),
                    "sha256": hashlib.sha256(body).hexdigest(),
                }
            ],
            "quarantine": {"rowCount": 0, "manifestKey": None},
            "bookmarks": {},
        }
        (folder / "_manifest.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")


def eod(symbol: str, date: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "symbol": symbol,
        "date": date,
        "open": 10.0,
        "high": 12.5,
        "low": 9.75,
        "close": 11.0,
        "volume": 1000,
        "change": 1.0,
        "changePercent": 10.0,
        "vwap": 10.9,
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not ...}


def write_eod_prices(lake_root: Path) -> None:
    e = lambda run, at, i, p: envelope("fmp", "eod_prices", run, at, i, p)  # noqa: E731
    t1, t2 = "2026-11-24T22:00:05.123Z", "2026-11-25T22:00:05.456Z"
    write_run(
        lake_root,
        "fmp",
        "eod_prices",
        "2026-11-24",
        RUN_1,
        [
            e(RUN_1, t1, 0, eod("AAPL", "2026-11-24")),
            e(RUN_1, t1, 1, eod("MSFT", "2026-11-24", volume=5.0, vwap=None)),
            e(RUN_1, t1, 2, eod("MSFT", "2026-11-23", close=1e308, change=-0.0)),
            e(RUN_1, t1, 3, eod("BAD1", "2026-11-24", high=1.0, low=2.0)),  # invariant
            e(RUN_1, t1, 4, eod("BAD2", "2026-11-24", volume=1.5)),  # fractional bigint
            e(RUN_1, t1, 5, eod("BAD3", "2025-02-30")),  # not a real date
            e(RUN_1, t1, 6, eod(..., "2026-11-24")),  # missing symbol
            e(RUN_1, t1, 7, eod("BAD4", "2026-11-24", close="12")),  # string for a number
            e(RUN_1, t1, 8, eod("BAD5", "2026-11-24", low=-1.0, volume=-5)),  # two invariants
            "this line is not json",
            e(RUN_1, t1, 9, ["not", "an", "object"]),
            e(RUN_1, t1, 10, eod("BAD6", "24/11/2026", open=True)),
            e(RUN_1, t1, 11, eod("BAD7", "2026-11-24", volume=2**64)),
            e(RUN_1, t1, 12, eod("BIGV", "2026-11-24", vwap=12345678901234567890)),
            # What DuckDB's JSON reader (yyjson) takes beyond RFC 8259, and what it refuses that
            # Python's json takes: both engines must read these lines alike.
            e(RUN_1, t1, 13, eod("TRL1", "2026-11-24"))[:-2] + ",},}",  # trailing commas
            e(RUN_1, t1, 14, eod("TRL2", "2026-11-24", extra=[1, 2])).replace("2]", "2, ]"),
            e(RUN_1, t1, 15, eod("INF1", "2026-11-24", close=123.25)).replace("123.25", "inf"),
            e(RUN_1, t1, 16, eod("INF2", "2026-11-24", close=123.25)).replace("123.25", "-Infinity"),
            e(RUN_1, t1, 17, eod("NAN1", "2026-11-24", vwap=123.25)).replace("123.25", "nan"),
            e(RUN_1, t1, 18, eod("NAN2", "2026-11-24", vwap=123.25)).replace("123.25", "NaN"),
            e(RUN_1, t1, 19, eod("SUR1", "2026-11-24")).replace('"SUR1"', '"SUR1\\ud800"'),  # lone surrogate
            e(RUN_1, t1, 20, eod("SUR2", "2026-11-24")).replace('"SUR2"', '"SUR2\\ud83d\\ude00"'),  # a pair
            e(RUN_1, t1, 21, eod("STR1", "2026-11-24", note="inf, nan,] x")),  # look-alikes in a string
            # A key repeated in one object: the first occurrence counts in both engines.
            e(RUN_1, t1, 22, eod("DUP1", "2026-11-24", close=10.5)).replace('"close": 10.5', '"close": 10.5, "close": "x"'),
            e(RUN_1, t1, 23, eod("DUP2", "2026-11-24", close=10.5)).replace('"close": 10.5', '"close": "x", "close": 10.5'),
            e(RUN_1, t1, 24, eod("DUP3", "2026-11-24")).replace(f'"fetched_at": "{t1}"', f'"fetched_at": "{t1}", "fetched_at": "later"'),
            e(RUN_1, t1, 25, eod("DUP4", "2026-11-24", note='a": "b')).replace('"DUP4"', '"DUP4", "symbol": "DUP5"'),
            # The field specs' rules beyond JSON types (contracts.json `pattern`, the date
            # encodings' years 0100-9999): a ticker with a space or none, a year below 100; and
            # the edges they still take. SUR2's symbol (offset 20) is no ticker either.
            e(RUN_1, t1, 26, eod("AA PL", "2026-11-24")),
            e(RUN_1, t1, 27, eod("", "2026-11-24")),
            e(RUN_1, t1, 28, eod("\u00e9t\u00e9", "2026-11-24")),
            e(RUN_1, t1, 29, eod("OLD1", "0099-01-02")),
            e(RUN_1, t1, 30, eod("BRK-B", "2026-11-24")),
            e(RUN_1, t1, 31, eod("^GSPC", "2026-11-24")),
            e(RUN_1, t1, 32, eod("OLD2", "0100-01-04")),  # before 1582: Spark must not rebase it
            # An empty line holds no record: both engines skip it. A line of spaces is not empty:
            # both quarantine it as invalid_json.
            "",
            " \t",
        ],
    )
    write_run(
        lake_root,
        "fmp",
        "eod_prices",
        "2026-11-25",
        RUN_2,
        [
            # A later fetch of AAPL 2026-11-24 replaces run 1's version.
            e(RUN_2, t2, 0, eod("AAPL", "2026-11-24", close=11.5)),
            e(RUN_2, t2, 1, eod("AAPL", "2026-11-25", close=12.0)),
            e(RUN_2, t2, 2, eod("MSFT", "2026-11-25")),
        ],
    )
    write_run(
        lake_root,
        "fmp",
        "eod_prices",
        "2026-11-25",
        RUN_3,
        [
            # Same fetched_at as run 2: the greater run id wins.
            e(RUN_3, t2, 0, eod("MSFT", "2026-11-25", close=99.0)),
        ],
    )
    # No manifest: an unfinished run, never read.
    write_run(
        lake_root,
        "fmp",
        "eod_prices",
        "2026-11-25",
        RUN_UNFINISHED,
        [e(RUN_UNFINISHED, t2, 0, eod("AAPL", "2026-11-25", close=-1000.0))],
        manifest=False,
    )


def write_mongodb(lake_root: Path) -> None:
    t = "2026-11-25T21:00:00.000Z"
    oid = "65A1B2C3D4E5F60718293A4B"
    p = lambda i, payload: envelope("mongodb", "portfolios", RUN_2, t, i, payload)  # noqa: E731
    write_run(
        lake_root,
        "mongodb",
        "portfolios",
        "2026-11-25",
        RUN_2,
        [
            p(0, {"_id": {"$oid": oid}, "name": "Growth", "baseCurrency": "USD", "createdAt": {"$date": "2025-01-01T00:00:00Z"}, "updatedAt": {"$date": {"$numberLong": "1764028800123"}}}),
            p(1, {"_id": oid.lower(), "name": "Growth v2", "baseCurrency": "USD", "createdAt": "2025-01-01T00:00:00+02:00", "updatedAt": {"$date": 1764115200000}}),
            p(2, {"_id": "65a1b2c3d4e5f60718293a4c", "name": "Income", "baseCurrency": "EUR", "createdAt": "2026-11-24T23:30:00.1234567-01:30", "updatedAt": "2026-11-25T10:00:00Z"}),
            p(3, {"_id": "xyz", "name": "Bad id", "baseCurrency": "USD", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}),
            p(4, {"_id": "65a1b2c3d4e5f60718293a4d", "name": "Time travel", "baseCurrency": "USD", "createdAt": "2026-02-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}),
            p(5, {"_id": "65a1b2c3d4e5f60718293a4e", "name": "No zone", "baseCurrency": "USD", "createdAt": "2026-01-01T00:00:00", "updatedAt": "2026-13-01T00:00:00Z"}),
            # Three capital letters, or no currency code (contracts.json `pattern`).
            p(6, {"_id": "65a1b2c3d4e5f60718293a4f", "name": "Lower case", "baseCurrency": "cad", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}),
            p(7, {"_id": "65a1b2c3d4e5f60718293a50", "name": "Digit", "baseCurrency": "CA1", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}),
        ],
    )
    x = lambda i, payload: envelope("mongodb", "transactions", RUN_2, t, i, payload)  # noqa: E731
    base = {"portfolioId": oid, "ts": "2026-11-20T15:30:00Z", "updatedAt": "2026-11-20T15:30:00Z"}
    write_run(
        lake_root,
        "mongodb",
        "transactions",
        "2026-11-25",
        RUN_2,
        [
            x(0, {**base, "_id": "6000000000000000000000a1", "type": "buy", "symbol": "AAPL", "quantity": {"$numberDecimal": "10.1234567895"}, "price": 190.25, "amount": {"$numberDecimal": "1924.64"}}),
            x(1, {**base, "_id": "6000000000000000000000a2", "type": "deposit", "amount": 5000}),
            x(2, {**base, "_id": "6000000000000000000000a3", "type": "buy", "quantity": 1, "price": 1, "amount": 1}),
            x(3, {**base, "_id": "6000000000000000000000a4", "type": "sell", "symbol": "AAPL", "quantity": 0, "price": 1, "amount": 1}),
            x(4, {**base, "_id": "6000000000000000000000a5", "type": "transfer", "amount": 1}),
            x(5, {**base, "_id": "6000000000000000000000a6", "type": "fee", "amount": {"$numberLong": "0"}}),
            x(6, {**base, "_id": "6000000000000000000000a7", "type": "fee", "amount": {"$numberDouble": "abc"}}),
            x(7, {**base, "_id": "6000000000000000000000a8", "type": "fee", "amount": "12.5"}),
            x(8, {**base, "_id": "6000000000000000000000a9", "type": "deposit", "amount": 123456789012345678901234567890.5}),
            x(9, {**base, "_id": "6000000000000000000000b0", "type": "withdrawal", "amount": {"$numberInt": "250"}, "price": -0.0000000004}),
            # Not a ticker: the symbol fails, so the buy's invariants that read it are not checked.
            x(10, {**base, "_id": "6000000000000000000000b1", "type": "buy", "symbol": "AA PL", "quantity": 1, "price": 1, "amount": 1}),
        ],
    )


def write_fmp_others(lake_root: Path) -> None:
    t = "2026-11-25T20:00:00.000Z"
    q = lambda i, payload: envelope("fmp", "quotes", RUN_2, t, i, payload)  # noqa: E731
    quote = {"symbol": "AAPL", "name": "Apple", "price": 190.5, "volume": 100, "dayLow": 189.0, "dayHigh": 191.0, "timestamp": 1764100800, "exchange": "NASDAQ"}
    write_run(
        lake_root,
        "fmp",
        "quotes",
        "2026-11-25",
        RUN_2,
        [
            q(0, quote),
            q(1, {**quote, "timestamp": 1764100860, "price": 190.75, "unknownField": 1}),
            q(2, {**quote, "timestamp": 1764100800.5}),
            q(3, {**quote, "symbol": "MSFT", "dayLow": 5.0, "dayHigh": 4.0}),
            q(4, {**quote, "symbol": "NEG", "price": -1}),
            q(5, {**quote, "symbol": "OLD", "timestamp": -1000}),  # unix seconds are never negative
        ],
    )
    c = lambda i, payload: envelope("fmp", "company_profiles", RUN_2, t, i, payload)  # noqa: E731
    profile = {"symbol": "AAPL", "companyName": "Apple Inc.", "fullTimeEmployees": "164000", "ipoDate": "1980-12-12", "isEtf": False, "isActivelyTrading": True, "isAdr": False, "isFund": False, "defaultImage": False}
    write_run(
        lake_root,
        "fmp",
        "company_profiles",
        "2026-11-25",
        RUN_2,
        [
            c(0, profile),
            c(1, {**profile, "symbol": "MSFT", "fullTimeEmployees": "", "ipoDate": ""}),
            "",
            c(2, {**profile, "symbol": "BAD", "fullTimeEmployees": "lots"}),
            c(3, {**profile, "symbol": "BAD2", "isEtf": "false"}),
            c(4, {**profile, "symbol": "BAD3", "fullTimeEmployees": "1.5e3"}),
            c(5, {**profile, "symbol": "NUM", "fullTimeEmployees": 1200.0}),
            # Not an http(s) URL; a year below 100; and the edges still taken.
            c(6, {**profile, "symbol": "FTP", "image": "ftp://images.example.com/FTP.png"}),
            c(7, {**profile, "symbol": "OLD1", "ipoDate": "0099-01-02"}),
            c(8, {**profile, "symbol": "BRK-B", "image": "https://images.example.com/BRK-B.png", "ipoDate": "0100-01-01"}),
        ],
        # Written on Windows, say: DuckDB and Spark both end its lines at \r\n, so its blank
        # line is empty too.
        newline="\r\n",
    )
    s = lambda i, payload: envelope("fmp", "income_statements", RUN_2, t, i, payload)  # noqa: E731
    statement = {"date": "2025-09-27", "symbol": "AAPL", "reportedCurrency": "USD", "filingDate": "2025-10-31", "acceptedDate": "2025-10-30 18:04:43", "fiscalYear": "2025", "period": "FY", "revenue": 416161000000, "eps": 7.49}
    write_run(
        lake_root,
        "fmp",
        "income_statements",
        "2026-11-25",
        RUN_2,
        [
            s(0, statement),
            s(1, {**statement, "period": "Q4", "acceptedDate": ""}),
            s(2, {**statement, "period": "Q5"}),
            s(3, {**statement, "period": "Q1", "fiscalYear": "1850"}),
            s(4, {**statement, "period": "Q2", "acceptedDate": "2025-10-30T18:04:43"}),
            s(5, {**statement, "period": "Q3", "fiscalYear": ""}),
            # A year below 100 (the date encodings take 0100-9999), and the first year taken.
            s(6, {**statement, "date": "2025-06-28", "period": "Q3", "acceptedDate": "0050-01-01 00:00:00"}),
            s(7, {**statement, "date": "2025-03-29", "period": "Q2", "acceptedDate": "0100-01-01 00:00:00"}),
        ],
    )
    n = lambda i, payload: envelope("fmp", "news", RUN_2, t, i, payload)  # noqa: E731
    article = {"symbol": "AAPL", "publishedDate": "2026-11-24 23:59:59", "publisher": "Wire", "title": "Apple ships", "url": "https://example.com/a", "text": "Line one\nline \"two\" \u2013 \u00fcber"}
    write_run(
        lake_root,
        "fmp",
        "news",
        "2026-11-25",
        RUN_2,
        [
            n(0, article),
            n(1, {**article, "publishedDate": "2026-11-25 24:00:00"}),
            n(2, {**article, "url": "https://example.com/b", "title": None}),
            n(3, article),  # the same version twice in one run: one row
            # A lone \r in an LF file (a copy mangled on the way): Spark ends a line there, and
            # DuckDB too (check-sql.ts reads with strict_mode off; strict, it refuses the file).
            n(4, {**article, "url": "https://example.com/c"}) + "\r" + n(5, {**article, "url": "https://example.com/d"}),
            # Not http(s) URLs (contracts.json `pattern`).
            n(6, {**article, "url": "ftp://example.com/e"}),
            n(7, {**article, "url": "not a url"}),
        ],
    )


def write_sample_lake(lake_root: Path) -> None:
    write_eod_prices(lake_root)
    write_mongodb(lake_root)
    write_fmp_others(lake_root)


SAMPLE_DATES = ["2026-11-24", "2026-11-25"]
SAMPLE_DATASETS = [
    "fmp.eod_prices",
    "fmp.quotes",
    "fmp.company_profiles",
    "fmp.income_statements",
    "fmp.news",
    "mongodb.portfolios",
    "mongodb.transactions",
]
