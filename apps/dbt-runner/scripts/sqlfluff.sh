#!/usr/bin/env bash
# sqlfluff over the models as written (jinja templater, DuckDB dialect; see dbt/.sqlfluff).
set -euo pipefail
cd "$(dirname "$0")/../dbt"
sqlfluff="${SQLFLUFF_BIN:-$(cd ../../.. && pwd)/.venv/bin/sqlfluff}"
"$sqlfluff" lint models --dialect duckdb --processes 2
