#!/usr/bin/env bash
# Deploys the pipelines to one environment (called by tools/deploy/deploy.sh with dev, staging or
# prod), in two steps:
#  1. the Prefect worker: builds apps/pipelines/Dockerfile, tags it worker-<git sha>, pushes it to
#     the env's pipelines/worker ECR repository, registers the next revision of the task family
#     finks-<env>-pipelines-worker with that image (libs/ecs-deploy) and rolls the worker service
#     onto it, waiting until ECS reports the service stable on the new revision;
#  2. Prefect: upserts the work pool, the AWS-settings block, variables and the deployments with
#     their schedules in that environment's Prefect. Idempotent.
# The worker goes first so the deployments upserted in step 2 are picked up by code that knows them.
# Repository, family, service and cluster names come from @finks/iam-names; infrastructure creates
# them all, so deploy infrastructure first. Needs a running Docker daemon, the aws CLI and AWS
# credentials for the env's account (in CI: the deploy role through OIDC), PREFECT_API_URL (and
# PREFECT_API_AUTH_STRING for a server with auth), and the infrastructure stack outputs — from the
# Pulumi CLI, or FINKS_STACK_OUTPUTS=<file of `pulumi stack output --json`>. The Slack webhook
# for "notify on Failed", when configured, is read from Secrets Manager into the environment here.
set -euo pipefail

env="${1:-${FINKS_ENV:-}}"
app="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$app/../.." && pwd)"

fail() { printf 'deploy pipelines: %s\n' "$*" >&2; exit 1; }
step() { printf 'deploy pipelines: %s\n' "$*" >&2; }

case "$env" in
  dev | staging | prod) ;;
  "") fail "no environment given; run npx nx deploy pipelines --configuration=<dev|staging|prod>" ;;
  *) fail "environment \"$env\" cannot be deployed; use dev, staging or prod" ;;
esac

# Fail fast, before anything is built, on what this machine lacks.
[ -n "${PREFECT_API_URL:-}" ] || fail "PREFECT_API_URL is not set; point it at the $env Prefect API and run again"
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
  fail "the working tree has uncommitted changes; commit or stash them so the image matches its tag worker-$sha"
fi

# shellcheck disable=SC2016 # the $-expressions are JavaScript template literals, not shell.
names="$(npx tsx -e "import('@finks/iam-names').then((n) => {
  const input = { app: 'pipelines', env: '$env', component: 'worker' };
  console.log([n.ecrRepositoryName(input), n.ecsTaskFamilyName(input), n.ecsServiceName(input),
    n.ecsClusterName({ app: 'infrastructure', env: '$env', component: 'platform' })].join('\t'));
})")"
IFS=$'\t' read -r repository family service cluster <<<"$names"
registry="$account.dkr.ecr.$region.amazonaws.com"
image="$registry/$repository:worker-$sha"

step "logging in to $registry"
aws ecr get-login-password --region "$region" |
  docker login --username AWS --password-stdin "$registry" >/dev/null

step "building the worker → $image"
# The task definition runs on Fargate X86_64 (infrastructure's runtimePlatform), whatever this
# machine is.
docker build --platform linux/amd64 --file apps/pipelines/Dockerfile --tag "$image" \
  --label "org.opencontainers.image.revision=$sha" .
docker push "$image"

if ! described="$(aws ecs describe-task-definition --region "$region" \
  --task-definition "$family" --output json 2>&1)"; then
  fail "cannot read task family $family ($described); deploy infrastructure to $env first"
fi
revision_input="$(mktemp)"
trap 'rm -f "$revision_input"' EXIT
printf '%s' "$described" |
  npx tsx libs/ecs-deploy/src/cli/next-task-revision.ts worker "$image" >"$revision_input"
arn="$(aws ecs register-task-definition --region "$region" \
  --cli-input-json "file://$revision_input" \
  --query taskDefinition.taskDefinitionArn --output text)"
step "registered $arn"

step "rolling $service on $cluster onto it"
aws ecs update-service --region "$region" --cluster "$cluster" --service "$service" \
  --task-definition "$arn" --force-new-deployment --query service.serviceName --output text >/dev/null
aws ecs wait services-stable --region "$region" --cluster "$cluster" --services "$service" ||
  fail "$service did not become stable on $arn; read its events (aws ecs describe-services --cluster $cluster --services $service)"
# The service's circuit breaker rolls a failing revision back, and a rolled-back service is
# "stable" too, so check which revision it ended on.
running="$(aws ecs describe-services --region "$region" --cluster "$cluster" --services "$service" \
  --query 'services[0].taskDefinition' --output text)"
[ "$running" = "$arn" ] ||
  fail "$service rolled back to $running: the worker of $sha did not start; read its logs and events, fix, and deploy again"
step "the $env worker runs $sha"

secret_name="$(npx tsx -e "import('@finks/config').then(({ loadConfig }) => console.log(loadConfig({ env: '$env' }).alerts.slackWebhookSecretName ?? ''))")"
if [ -n "$secret_name" ] && [ -z "${FINKS_SLACK_WEBHOOK_URL:-}" ]; then
  FINKS_SLACK_WEBHOOK_URL="$(aws secretsmanager get-secret-value --region "$region" --secret-id "$secret_name" --query SecretString --output text)"
  export FINKS_SLACK_WEBHOOK_URL
fi

exec npx tsx apps/pipelines/src/main.ts deploy --env "$env" \
  ${FINKS_STACK_OUTPUTS:+--stack-outputs "$FINKS_STACK_OUTPUTS"}
