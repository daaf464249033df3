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

cd "$root"
# shellcheck source=../../tools/deploy/image-steps.sh
source tools/deploy/image-steps.sh
image_preflight "$env" "<connector>-"

targets="$(npx tsx "$app/src/deploy/main.ts" targets "$env" "$sha")"
# Every image first, then every revision: a build or push that fails leaves all connectors on
# their previous revision instead of some on the new commit and some on the old.
while IFS=$'\t' read -r connector dockerfile repository tag family container; do
  image="$registry/$repository:$tag"
  step "building $connector → $image"
  build_and_push "$dockerfile" "$image"
done <<<"$targets"
while IFS=$'\t' read -r connector _ repository tag family container; do
  (register_revision "$family" "$container" "$registry/$repository:$tag" >/dev/null) ||
    fail "no new revision of $family ($connector); the connectors registered before it run $sha, the rest their previous image: deploy again"
done <<<"$targets"
step "done: $env runs the connectors of $sha"
