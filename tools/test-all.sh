#!/usr/bin/env bash
# Runs every test of the platform on this machine, doing whatever set-up is still missing:
# Node 24, npm ci, the Python env, the real services (moto, FerretDB, Prefect). Then the format
# check, lint, typecheck and tests of every project through Nx, and a closing `N passed, N failed`.
# Services this script started are stopped at the end; ones already running are left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

step "set-up"
source tools/dev-env/bootstrap.sh
echo "Node $(node --version), npm $(npm --version)"

step "services"
started_services=()
for svc in moto ferretdb prefect; do
  bash tools/dev-env/services.sh status "$svc" >/dev/null 2>&1 || started_services+=("$svc")
done
stop_services() {
  if [ "${#started_services[@]}" -gt 0 ]; then
    step "stopping ${started_services[*]}"
    bash tools/dev-env/services.sh stop "${started_services[@]}" || true
  fi
}
trap stop_services EXIT
if [ "${#started_services[@]}" -gt 0 ]; then
  bash tools/dev-env/services.sh start "${started_services[@]}"
fi

rm -rf .finks/test-results
failed=0

step "format check"
npx nx format:check || { echo "format check failed: run 'npx nx format:write'"; failed=1; }

step "lint, typecheck, test (all projects)"
# Nx keeps its cache per machine (~/.nx), shared by every clone: CI must run every test for
# real, not replay an earlier clone's results.
cache_flags=()
[ "${CI:-}" = "true" ] && cache_flags=(--skip-nx-cache)
npx nx run-many -t lint typecheck test --output-style=stream "${cache_flags[@]}" || failed=1

step "summary"
expected="$(npx nx show projects --with-target test | sort | paste -sd, -)"
npx tsx tools/workspace-checks/src/cli/test-summary.ts .finks/test-results "$expected" || failed=1
exit "$failed"
