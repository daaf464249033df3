#!/usr/bin/env bash
# Re-resolves python/requirements.in into python/requirements.lock (with hashes).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$DEV_ENV_DIR/python-env.sh" >/dev/null 2>&1 || true
uv="$FINKS_CACHE/uv-bootstrap/bin/uv"
cd "$DEV_ENV_DIR/python"
"$uv" pip compile requirements.in -o requirements.lock --generate-hashes --python-version 3.11 --no-header
