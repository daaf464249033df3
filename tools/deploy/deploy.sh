#!/usr/bin/env bash
# Deploys one project to the environment named by FINKS_ENV (dev, staging or prod).
# Nx calls it from each app's `deploy` target; the targets' dependsOn (^deploy) and the implicit
# dependencies of pipelines, dbt-runner and ingestion on infrastructure make
# `nx run-many -t deploy` deploy infrastructure first, as the four former repositories did.
set -euo pipefail

project="${1:?usage: deploy.sh <infrastructure|pipelines|dbt-runner|ingestion>}"
env="${FINKS_ENV:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

fail() { printf 'deploy %s: %s\n' "$project" "$*" >&2; exit 1; }

case "$env" in
  dev | staging | prod) ;;
  "") fail "FINKS_ENV is not set; set it to dev, staging or prod (local runs need no deploy: see README)" ;;
  *) fail "FINKS_ENV=$env cannot be deployed; use dev, staging or prod" ;;
esac

case "$project" in
  infrastructure)
    # pulumi up on the FINKS_ENV stack, always with the policy pack.
    exec bash "$root/apps/infrastructure/scripts/pulumi.sh" up
    ;;
  pipelines | dbt-runner | ingestion)
    script="$root/apps/$project/deploy.sh"
    [ -x "$script" ] || fail "apps/$project has no deploy step yet (its own issue adds apps/$project/deploy.sh)"
    exec "$script" "$env"
    ;;
  *) fail "unknown project; expected infrastructure, pipelines, dbt-runner or ingestion" ;;
esac
