#!/usr/bin/env bash
# Deploys the pipelines to one environment (called by tools/deploy/deploy.sh with dev, staging or
# prod): upserts the work pool, the AWS-settings block, variables and the deployments with their
# schedules in that environment's Prefect. Idempotent. Needs PREFECT_API_URL (and
# PREFECT_API_AUTH_STRING for a server with auth), and the infrastructure stack outputs — from the
# Pulumi CLI, or FINKS_STACK_OUTPUTS=<file of `pulumi stack output --json`>. The Slack webhook
# for "notify on Failed", when configured, is read from Secrets Manager into the environment here.
set -euo pipefail
env="${1:?usage: deploy.sh <dev|staging|prod>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

[ -n "${PREFECT_API_URL:-}" ] || {
  echo "deploy pipelines: PREFECT_API_URL is not set; point it at the $env Prefect API" >&2
  exit 1
}

secret_name="$(npx tsx -e "import('@finks/config').then(({ loadConfig }) => console.log(loadConfig({ env: '$env' }).alerts.slackWebhookSecretName ?? ''))")"
if [ -n "$secret_name" ] && [ -z "${FINKS_SLACK_WEBHOOK_URL:-}" ]; then
  command -v aws >/dev/null || { echo "deploy pipelines: the aws CLI is needed to read $secret_name" >&2; exit 1; }
  FINKS_SLACK_WEBHOOK_URL="$(aws secretsmanager get-secret-value --secret-id "$secret_name" --query SecretString --output text)"
  export FINKS_SLACK_WEBHOOK_URL
fi

exec npx tsx apps/pipelines/src/main.ts deploy --env "$env" \
  ${FINKS_STACK_OUTPUTS:+--stack-outputs "$FINKS_STACK_OUTPUTS"}
