#!/usr/bin/env bash
# The platform's main job on one machine, with no cloud and no keys: the master flow, sources →
# bronze → silver → gold, on the embedded defaults (the built-in fake FMP market, FerretDB as the
# portfolio database, the filesystem lake in .finks/lake, DuckDB silver, dbt-duckdb gold).
# Does whatever set-up a fresh clone still lacks first. Flags go to `pipelines master-flow`
# (see --help): e.g. `bash tools/run-local.sh --symbols 20 --years 5`.
# With PREFECT_API_URL set the run shows in the Prefect UI; with FMP_API_KEY set it ingests the
# real FMP stable API instead of the fake market.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source tools/dev-env/bootstrap.sh

# FerretDB is started for the run unless MONGODB_URI names another MongoDB; stopped afterwards
# only if this script started it.
started_ferretdb=false
if [ -z "${MONGODB_URI:-}" ] && ! bash tools/dev-env/services.sh status ferretdb >/dev/null 2>&1; then
  bash tools/dev-env/services.sh start ferretdb
  started_ferretdb=true
fi
trap '[ "$started_ferretdb" = true ] && bash tools/dev-env/services.sh stop ferretdb >/dev/null' EXIT

npx tsx apps/pipelines/src/main.ts master-flow "$@"
