#!/usr/bin/env bash
# `nx preview infrastructure` / `nx deploy infrastructure`: pulumi preview|up on the stack named
# by FINKS_ENV (dev, staging or prod), always with the Finks policy pack, so a violation blocks
# the change. Needs the Pulumi CLI, a logged-in backend and AWS credentials for that account.
set -euo pipefail

action="${1:?usage: pulumi.sh <preview|up>}"
env="${FINKS_ENV:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() { printf 'infrastructure %s: %s\n' "$action" "$*" >&2; exit 1; }

case "$env" in
  dev | staging | prod) ;;
  "") fail "FINKS_ENV is not set; set it to dev, staging or prod" ;;
  *) fail "FINKS_ENV=$env has no stack; use dev, staging or prod" ;;
esac
command -v pulumi >/dev/null || fail "the Pulumi CLI is not installed (https://www.pulumi.com/docs/install/)"

# With Pulumi Cloud, PULUMI_ORG selects the organisation (org/finks-infrastructure/<env>).
stack="${PULUMI_ORG:+$PULUMI_ORG/}$env"
common=(--stack "$stack" --cwd "$here" --policy-pack "$here/policies")

case "$action" in
  preview) exec pulumi preview "${common[@]}" --diff ;;
  up) exec pulumi up "${common[@]}" --yes ;;
  *) fail "unknown action; expected preview or up" ;;
esac
