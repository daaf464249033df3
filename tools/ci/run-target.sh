#!/usr/bin/env bash
# Runs `nx run <project>:<target>` without its task dependencies, or says plainly that the
# project has no such target yet and exits 0. The per-project workflow jobs call the targets each
# app owns (tools/ci/README.md, "What each project provides"); this keeps a job green and honest
# while an app has not added its target, instead of failing on "cannot find target".
set -euo pipefail
project="${1:?usage: run-target.sh <project> <target> [nx args…]}"
target="${2:?usage: run-target.sh <project> <target> [nx args…]}"
shift 2
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if npx nx show project "$project" --json \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.exit(JSON.parse(s).targets?.[process.argv[1]]?0:1))' "$target"; then
  exec npx nx run "$project:$target" --excludeTaskDependencies "$@"
fi
msg="$project has no \`$target\` target yet; skipped (see tools/ci/README.md)"
if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::notice title=$project:$target::$msg"; else echo "$msg"; fi
