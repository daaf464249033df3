#!/usr/bin/env bash
# Lints the given Dockerfiles (default: every Dockerfile in the repository, tracked or new):
# hadolint with .hadolint.yaml (pinned base tags, no `latest`, pinned packages …), plus a rule
# hadolint lacks: the final stage must switch to a non-root USER (DL3002 fires only on an
# explicit `USER root`; a Dockerfile without USER runs as root too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$(bash "$root/tools/ci/install-tools.sh"):$PATH"

if [ "$#" -eq 0 ]; then
  cd "$root"
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
    '*Dockerfile' '*Dockerfile.*' '*.Dockerfile' ':!*.dockerignore' \
    | while read -r f; do [ -f "$f" ] && echo "$f"; done | sort -u)
  if [ "${#files[@]}" -eq 0 ]; then
    echo "[dockerfile-lint] no Dockerfiles in the repository yet"
    exit 0
  fi
  set -- "${files[@]}"
fi

echo "[dockerfile-lint] hadolint $*"
failed=0
hadolint --config "$root/.hadolint.yaml" "$@" || failed=1
for f in "$@"; do
  awk '
    toupper($1) == "FROM" { user = "" }
    toupper($1) == "USER" { user = $2 }
    END {
      split(user, parts, ":")
      if (user == "" || parts[1] == "root" || parts[1] == "0") {
        printf "%s: the final stage must switch to a non-root USER\n", FILENAME
        exit 1
      }
    }' "$f" || failed=1
done
exit "$failed"
