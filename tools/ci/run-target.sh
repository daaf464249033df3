#!/usr/bin/env bash
# Runs `nx run <project>:<target>` without its task dependencies, or says plainly that the
# project has no such target yet and exits 0. The per-project workflow jobs call the targets each
# app owns (tools/ci/README.md, "What each project provides"); this keeps a job green and honest
# while an app has not added its target, instead of failing on "cannot find target". Only a
# missing target is skipped: when Nx cannot describe the project at all, the job fails.
set -euo pipefail
project="${1:?usage: run-target.sh <project> <target> [nx args…]}"
target="${2:?usage: run-target.sh <project> <target> [nx args…]}"
shift 2
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

fail() { printf 'run-target %s:%s: %s\n' "$project" "$target" "$*" >&2; exit 1; }

if ! described="$(npx nx show project "$project" --json)"; then
  fail "nx show project $project failed (above); fix the workspace or the project name, not the job"
fi
# Exit 0: the target exists; 3: it does not; anything else (unreadable output): fail.
status=0
printf '%s' "$described" | node -e '
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => {
    let project;
    try { project = JSON.parse(s); } catch { process.exit(2); }
    process.exit(project.targets?.[process.argv[1]] ? 0 : 3);
  });' "$target" || status=$?
case "$status" in
  0) exec npx nx run "$project:$target" --excludeTaskDependencies "$@" ;;
  3) ;;
  *) fail "nx show project $project --json printed no project description; run it by hand to see why" ;;
esac
msg="$project has no \`$target\` target yet; skipped (see tools/ci/README.md)"
if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::notice title=$project:$target::$msg"; else echo "$msg"; fi
