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
# for "notify on Failed", when configured, comes from FINKS_SLACK_WEBHOOK_URL, else from Secrets
# Manager (CI passes the variable: the deploy role may not read Secrets Manager).
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
cd "$root"
# shellcheck source=../../tools/deploy/image-steps.sh
source tools/deploy/image-steps.sh
image_preflight "$env" "worker-"

names="$(npx tsx -e "import('@finks/iam-names').then((n) => {
  const input = { app: 'pipelines', env: '$env', component: 'worker' };
  console.log([n.ecrRepositoryName(input), n.ecsTaskFamilyName(input), n.ecsServiceName(input),
    n.ecsClusterName({ app: 'infrastructure', env: '$env', component: 'platform' })].join('\t'));
})")"
IFS=$'\t' read -r repository family service cluster <<<"$names"
image="$registry/$repository:worker-$sha"
step "building the worker → $image"
build_and_push apps/pipelines/Dockerfile "$image"
arn="$(register_revision "$family" worker "$image")" ||
  fail "no new revision of $family; the worker and the Prefect deployments were left as they were"

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
  FINKS_SLACK_WEBHOOK_URL="$(aws secretsmanager get-secret-value --region "$region" --secret-id "$secret_name" --query SecretString --output text)" ||
    fail "cannot read the Slack webhook from Secrets Manager ($secret_name); set FINKS_SLACK_WEBHOOK_URL (in CI: the FINKS_SLACK_WEBHOOK_URL secret of the $env environment) and run again"
  export FINKS_SLACK_WEBHOOK_URL
fi

exec npx tsx apps/pipelines/src/main.ts deploy --env "$env" \
  ${FINKS_STACK_OUTPUTS:+--stack-outputs "$FINKS_STACK_OUTPUTS"}
