# Shared helpers for the dev-env scripts. Sourced, never run.
# Everything installed is cached outside the repo (FINKS_CACHE, default ~/.cache/finks) and keyed
# by the pinned version or lock hash, so a second run on the same machine takes seconds.
set -euo pipefail

DEV_ENV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$DEV_ENV_DIR/../.." && pwd)"
FINKS_CACHE="${FINKS_CACHE:-$HOME/.cache/finks}"
# Where running services write their pid, log and URL; tests read the URLs from here.
FINKS_RUN_DIR="${FINKS_RUN_DIR:-$REPO_ROOT/.finks/run}"
mkdir -p "$FINKS_CACHE" "$FINKS_RUN_DIR"

log() { printf '[dev-env] %s\n' "$*" >&2; }
die() { printf '[dev-env] error: %s\n' "$*" >&2; exit 1; }

# Prints the sha256 of the given files, short: the cache key of what they pin.
content_hash() { cat "$@" | sha256sum | cut -c1-16; }
