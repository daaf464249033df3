#!/usr/bin/env bash
# The repository's static checks, one per argument (or `all`). Each is also an Nx target of the
# `ci` project (`npx nx run ci:<check>`) and a step of .github/workflows/ci.yml.
#   actionlint       every workflow under .github/workflows (with shellcheck when installed)
#   config-schemas   docker-compose.yml against the Compose spec; dependabot.yml and the
#                    workflows against their JSON schemas
#   secret-scan      gitleaks over the git history and the working tree (.gitleaks.toml)
#   secret-scan-staged  gitleaks over the staged changes only (the pre-commit hook)
#   dockerfile-lint  tools/ci/lint-dockerfiles.sh on every Dockerfile (hadolint + non-root USER)
#   audit            npm audit of the runtime dependencies, failing at AUDIT_LEVEL (high);
#                    where the registry has no audit endpoint it warns, except on GitHub Actions
# Binaries come from tools/ci/install-tools.sh (cached by version in FINKS_CACHE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export PATH="$(bash tools/ci/install-tools.sh):$PATH"

step() { printf '[static-checks] %s\n' "$*" >&2; }

check_actionlint() {
  step "actionlint .github/workflows"
  actionlint -no-color
}

check_config_schemas() {
  step "docker-compose.yml against the Compose spec"
  check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
  step ".github/dependabot.yml and workflows against their schemas"
  check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
  check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
}

# SCAN_DIR (default: this repository) lets the tests scan a planted repository with the same
# command and this repository's .gitleaks.toml.
check_secret_scan() {
  local config="$PWD/.gitleaks.toml"
  step "gitleaks: git history of ${SCAN_DIR:-.}"
  (cd "${SCAN_DIR:-.}" && gitleaks git . --config "$config" --redact --verbose --no-banner --exit-code 1)
  step "gitleaks: working tree of ${SCAN_DIR:-.}"
  # Only what git would see (tracked and new files, not ignored ones), copied aside: walking
  # node_modules and .venv only to skip them costs more than the scan.
  local tree
  tree="$(mktemp -d)"
  (cd "${SCAN_DIR:-.}" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
    | tar --create --null --files-from=- | tar --extract --directory="$tree")
  local status=0
  (cd "$tree" && gitleaks dir . --config "$config" --redact --verbose --no-banner --exit-code 1) || status=$?
  rm -rf "$tree"
  return "$status"
}

check_dockerfile_lint() {
  bash tools/ci/lint-dockerfiles.sh
}

# The pre-commit hook: only what is staged, so a commit never carries a secret in.
check_secret_scan_staged() {
  local config="$PWD/.gitleaks.toml"
  (cd "${SCAN_DIR:-.}" &&
    gitleaks git . --pre-commit --staged --config "$config" --redact --verbose --no-banner --exit-code 1)
}

check_audit() {
  step "npm audit --omit=dev --audit-level=${AUDIT_LEVEL:-high}"
  npx tsx tools/ci/src/cli/npm-audit.ts
}

run_check() {
  case "$1" in
    actionlint) check_actionlint ;;
    config-schemas | compose-schema) check_config_schemas ;;
    secret-scan) check_secret_scan ;;
    secret-scan-staged) check_secret_scan_staged ;;
    dockerfile-lint) check_dockerfile_lint ;;
    audit) check_audit ;;
    *) printf 'unknown check "%s"; use actionlint, config-schemas, secret-scan, secret-scan-staged, dockerfile-lint, audit or all\n' "$1" >&2; return 2 ;;
  esac
}

[ "$#" -gt 0 ] || set -- all
if [ "$1" = all ]; then
  set -- actionlint config-schemas secret-scan dockerfile-lint audit
fi
failed=()
for check in "$@"; do run_check "$check" || failed+=("$check"); done
if [ "${#failed[@]}" -gt 0 ]; then
  printf '[static-checks] failed: %s\n' "${failed[*]}" >&2
  exit 1
fi
