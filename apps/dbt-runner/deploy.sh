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

command -v aws >/dev/null || fail "the aws CLI is not installed; install it (https://aws.amazon.com/cli/) and run again"
command -v docker >/dev/null || fail "docker is not installed; install Docker and run again"
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region 2>/dev/null || true)}}"
[ -n "$region" ] || fail "no AWS region; set AWS_REGION (the region of the $env stack) and run again"
if ! account="$(aws sts get-caller-identity --region "$region" --query Account --output text 2>&1)"; then
  fail "no usable AWS credentials ($(printf '%s' "$account" | tr '\n' ' ' | sed 's/  */ /g')); configure credentials for the $env account (AWS_PROFILE, or the deploy role in CI) and run again"
fi
if ! docker_error="$(docker info --format '{{.ServerVersion}}' 2>&1 >/dev/null)"; then
  fail "the Docker daemon is not reachable ($(printf '%s' "$docker_error" | head -n 1)); start Docker (or point DOCKER_HOST at a running daemon) and run again"
fi

sha="$(git rev-parse HEAD)"
if [ -n "$(git status --porcelain)" ]; then
  fail "the working tree has uncommitted changes; commit or stash them so the image matches its tag dbt-$sha"
fi

names="$(npx tsx -e "import('@finks/iam-names').then((n) => {
  const input = { app: 'dbt-runner', env: '$env', component: 'dbt' };
  console.log([n.ecrRepositoryName(input), n.ecsTaskFamilyName(input)].join('\t'));
})")"
IFS=$'\t' read -r repository family <<<"$names"
registry="$account.dkr.ecr.$region.amazonaws.com"
image="$registry/$repository:dbt-$sha"

step "logging in to $registry"
aws ecr get-login-password --region "$region" |
  docker login --username AWS --password-stdin "$registry" >/dev/null

step "building the runner → $image"
docker build --platform linux/amd64 --file apps/dbt-runner/Dockerfile --tag "$image" \
  --label "org.opencontainers.image.revision=$sha" .
docker push "$image"

if ! described="$(aws ecs describe-task-definition --region "$region" \
  --task-definition "$family" --output json 2>&1)"; then
  fail "cannot read task family $family ($described); deploy infrastructure to $env first"
fi
revision_input="$parse_dir/revision.json"
printf '%s' "$described" |
  npx tsx libs/ecs-deploy/src/cli/next-task-revision.ts dbt "$image" >"$revision_input"
arn="$(aws ecs register-task-definition --region "$region" \
  --cli-input-json "file://$revision_input" \
  --query taskDefinition.taskDefinitionArn --output text)"
step "registered $arn: $env runs dbt-runner $sha"
