# Shared steps of the apps' deploy.sh scripts that ship container images (ingestion, pipelines,
# dbt-runner). Source it after defining `fail` and `step`, and after cd-ing to the repository root.
# shellcheck shell=bash

# Fails fast, before anything is built, on what this machine lacks; sets region, account, sha and
# registry. $1 = environment, $2 = the image tag the commit will get (named in the message).
image_preflight() {
  local env="$1" tag="$2" docker_error
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
  # An image tagged with a commit must be built from exactly that commit.
  if [ -n "$(git status --porcelain)" ]; then
    fail "the working tree has uncommitted changes; commit or stash them so the image matches its tag ${tag}${sha}"
  fi
  registry="$account.dkr.ecr.$region.amazonaws.com"
  step "logging in to $registry"
  aws ecr get-login-password --region "$region" |
    docker login --username AWS --password-stdin "$registry" >/dev/null
}

# Builds $1 (a Dockerfile) as image $2 for Fargate's X86_64, whatever this machine is, and pushes it.
build_and_push() {
  docker build --platform linux/amd64 --file "$1" --tag "$2" \
    --label "org.opencontainers.image.revision=$sha" .
  docker push "$2"
}

# Registers the next revision of task family $1 with container $2 running image $3
# (@finks/ecs-deploy keeps roles, sizes, secrets and logging); prints the new revision's ARN.
# Callers capture it with `arn="$(register_revision …)" || fail …`: inside $(…) bash ignores
# `set -e`, so every failure here must fail explicitly, or the caller gets an empty ARN and a 0.
register_revision() {
  local family="$1" container="$2" image="$3" described input arn
  if ! described="$(aws ecs describe-task-definition --region "$region" \
    --task-definition "$family" --output json 2>&1)"; then
    fail "cannot read task family $family ($described); deploy infrastructure to $env first"
  fi
  input="$(mktemp)"
  printf '%s' "$described" |
    npx tsx libs/ecs-deploy/src/cli/next-task-revision.ts "$container" "$image" >"$input" ||
    { rm -f "$input"; fail "no next revision for $family"; }
  if ! arn="$(aws ecs register-task-definition --region "$region" \
    --cli-input-json "file://$input" \
    --query taskDefinition.taskDefinitionArn --output text)"; then
    rm -f "$input"
    fail "registering the next revision of $family with $image failed (aws ecs register-task-definition, above); fix the cause and deploy again"
  fi
  rm -f "$input"
  case "$arn" in
    arn:*) ;;
    *) fail "aws ecs register-task-definition returned no task definition ARN for $family (got \"$arn\"); deploy again" ;;
  esac
  step "registered $arn"
  printf '%s\n' "$arn"
}
