#!/usr/bin/env bash
# Ships dbt-runner to one environment (called by tools/deploy/deploy.sh with dev, staging or prod):
#  1. the environment's dbt manifest (`dbt parse --target <env>`, no warehouse connection) into
#     .finks/dbt-state/<env>/manifest.json — kept by the deploy workflow as the artifact slim CI
#     defers to (state:modified+);
#  2. the runner image (apps/dbt-runner/Dockerfile) tagged dbt-<git sha>, pushed to the env's
#     dbt-runner/dbt ECR repository, and the next revision of the dbt task family with it
#     (@finks/ecs-deploy) — the flows run dbt as that task.
# Needs the Python env (tools/dev-env), a Docker daemon, the aws CLI and credentials for the env's
# account (in CI: the deploy role through OIDC); it says which is missing before building anything.
set -euo pipefail

env="${1:-${FINKS_ENV:-}}"
app="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$app/../.." && pwd)"

fail() { printf 'deploy dbt-runner: %s\n' "$*" >&2; exit 1; }
step() { printf 'deploy dbt-runner: %s\n' "$*" >&2; }

case "$env" in
  dev | staging | prod) ;;
  "") fail "no environment given; run FINKS_ENV=<dev|staging|prod> npx nx deploy dbt-runner" ;;
  *) fail "environment \"$env\" cannot be deployed; use dev, staging or prod" ;;
esac

cd "$root"
dbt="${DBT_BIN:-$root/.venv/bin/dbt}"
[ -x "$dbt" ] || fail "dbt not found at $dbt; create the Python env (bash tools/dev-env/python-env.sh) or set DBT_BIN"
state_dir="${FINKS_DBT_STATE_DIR:-$root/.finks/dbt-state}/$env"
parse_dir="$(mktemp -d)"
trap 'rm -rf "$parse_dir"' EXIT
step "parsing the project for target $env"
"$dbt" parse --project-dir apps/dbt-runner/dbt --profiles-dir apps/dbt-runner/dbt \
  --target "$env" --target-path "$parse_dir" --log-path "$parse_dir/logs" >"$parse_dir/parse.log" 2>&1 ||
  fail "dbt parse --target $env failed: $(tail -n 5 "$parse_dir/parse.log" | tr '\n' ' ')"
mkdir -p "$state_dir"
cp "$parse_dir/manifest.json" "$state_dir/manifest.json"
step "manifest for slim CI: $state_dir/manifest.json"

# shellcheck source=../../tools/deploy/image-steps.sh
source tools/deploy/image-steps.sh
image_preflight "$env" "dbt-"

names="$(npx tsx -e "import('@finks/iam-names').then((n) => {
  const input = { app: 'dbt-runner', env: '$env', component: 'dbt' };
  console.log([n.ecrRepositoryName(input), n.ecsTaskFamilyName(input)].join('\t'));
})")"
IFS=$'\t' read -r repository family <<<"$names"
image="$registry/$repository:dbt-$sha"
step "building the runner → $image"
build_and_push apps/dbt-runner/Dockerfile "$image"
arn="$(register_revision "$family" dbt "$image")" ||
  fail "no new revision of $family; the image $image is pushed but $env still runs the previous one"
step "$env runs dbt-runner $sha ($arn)"
