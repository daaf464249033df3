# Sourced by the two README commands (tools/run-local.sh, tools/test-all.sh): whatever set-up a
# fresh clone still lacks. Node 24 first on PATH (fetched once when the machine's is older), the
# npm dependencies when package-lock.json changed since the last install, the Python env, and
# Debian's chromium for the run report's browser check.
# shellcheck shell=bash
finks_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PATH="$(bash "$finks_root/tools/dev-env/node.sh"):$PATH"
export PATH
export NX_NO_CLOUD=true
[ "${CI:-}" = "true" ] && export NX_DAEMON=false

finks_lock_hash="$(sha256sum "$finks_root/package-lock.json" | cut -c1-16)"
if [ "$(cat "$finks_root/node_modules/.finks-lock-hash" 2>/dev/null || true)" != "$finks_lock_hash" ]; then
  printf '[dev-env] npm ci (package-lock.json changed or first run)\n' >&2
  (cd "$finks_root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$finks_lock_hash" >"$finks_root/node_modules/.finks-lock-hash"
fi
bash "$finks_root/tools/dev-env/python-env.sh"
# Only the pipelines tests need the browser: where it cannot be installed (no root, not Debian) a
# local run goes on after chromium.sh's error; CI stops, since those tests would fail anyway.
bash "$finks_root/tools/dev-env/chromium.sh" >/dev/null || [ "${CI:-}" != "true" ]
