#!/usr/bin/env bash
# Ships the ingestion connectors to one environment (called by tools/deploy/deploy.sh with the
# env as $1): builds docker/<connector>.Dockerfile from the repository root, tags the image
# <connector>-<git sha>, pushes it to the env's `connectors` ECR repository, and registers the
# next revision of each connector's ECS task family with that image. Repository and family names
# come from @finks/iam-names (src/deploy/connectors.ts); infrastructure creates both, so deploy
# infrastructure first. Needs a running Docker daemon, the aws CLI and AWS credentials for the
# env's account (in CI: the deploy role through OIDC).
set -euo pipefail

env="${1:-${FINKS_ENV:-}}"
app="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$app/../.." && pwd)"

fail() { printf 'deploy ingestion: %s\n' "$*" >&2; exit 1; }
step() { printf 'deploy ingestion: %s\n' "$*" >&2; }

case "$env" in
  dev | staging | prod) ;;
  "") fail "no environment given; run FINKS_ENV=<dev|staging|prod> npx nx deploy ingestion" ;;
  *) fail "environment \"$env\" cannot be deployed; use dev, staging or prod" ;;
esac

# Fail fast, before anything is built, on what this machine lacks.
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

cd "$root"
sha="$(git rev-parse HEAD)"
# An image tagged with a commit must be built from exactly that commit.
if [ -n "$(git status --porcelain)" ]; then
  fail "the working tree has uncommitted changes; commit or stash them so the image matches its tag $sha"
fi

targets="$(npx tsx "$app/src/deploy/main.ts" targets "$env" "$sha")"
registry="$account.dkr.ecr.$region.amazonaws.com"

step "logging in to $registry"
aws ecr get-login-password --region "$region" |
  docker login --username AWS --password-stdin "$registry" >/dev/null

revision_input="$(mktemp)"
trap 'rm -f "$revision_input"' EXIT
while IFS=$'\t' read -r connector dockerfile repository tag family container; do
  image="$registry/$repository:$tag"
  step "building $connector → $image"
  # The task definitions run on Fargate X86_64 (infrastructure's runtimePlatform), whatever this
  # machine is.
  docker build --platform linux/amd64 --file "$dockerfile" --tag "$image" \
    --label "org.opencontainers.image.revision=$sha" .
  docker push "$image"

  if ! described="$(aws ecs describe-task-definition --region "$region" \
    --task-definition "$family" --output json 2>&1)"; then
    fail "cannot read task family $family ($described); deploy infrastructure to $env first"
  fi
  printf '%s' "$described" |
    npx tsx "$app/src/deploy/main.ts" revision "$container" "$image" >"$revision_input"
  arn="$(aws ecs register-task-definition --region "$region" \
    --cli-input-json "file://$revision_input" \
    --query taskDefinition.taskDefinitionArn --output text)"
  step "registered $arn"
done <<<"$targets"
step "done: $env runs the connectors of $sha"
