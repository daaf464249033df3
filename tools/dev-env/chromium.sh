#!/usr/bin/env bash
# Makes Debian's `chromium` available for the HTML run report's browser check (playwright-core
# drives it; Playwright's own browser download is not used, so the browser comes from the same
# signed apt registry as the rest of the OS). Prints the binary's path. Installs only when it is
# missing, so a second run costs one `command -v`.
# Usage: FINKS_CHROMIUM="$(bash tools/dev-env/chromium.sh)"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# FINKS_CHROMIUM points at another Chromium (e.g. a distribution that is not Debian).
if [ -n "${FINKS_CHROMIUM:-}" ]; then
  [ -x "$FINKS_CHROMIUM" ] || die "FINKS_CHROMIUM=$FINKS_CHROMIUM is not an executable file: unset it or point it at a Chromium binary"
  echo "$FINKS_CHROMIUM"
  exit 0
fi

found_chromium() { command -v chromium 2>/dev/null || { [ -x /usr/bin/chromium ] && echo /usr/bin/chromium; }; }

if path="$(found_chromium)"; then
  echo "$path"
  exit 0
fi

command -v apt-get >/dev/null \
  || die "chromium is not installed and apt-get is missing (not Debian/Ubuntu): install Chromium and set FINKS_CHROMIUM to its binary"
as_root=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null && sudo -n true 2>/dev/null \
    || die "chromium is not installed and installing it needs root: run 'sudo apt-get install -y --no-install-recommends chromium'"
  as_root=(sudo -n)
fi

# Two set-ups starting at once (parallel CI jobs on one runner) would fight over apt's lock.
exec 9>"$FINKS_CACHE/chromium-install.lock"
flock 9
if ! path="$(found_chromium)"; then
  log "installing Debian's chromium with apt-get (first run takes a minute or two)"
  apt_log="$FINKS_CACHE/chromium-apt.log"
  # The package lists are refreshed only here, when something has to be installed.
  if ! { "${as_root[@]}" apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends chromium; } \
    >"$apt_log" 2>&1; then
    tail -n 20 "$apt_log" >&2
    die "apt-get could not install chromium (full log: $apt_log): check the apt sources and network, then rerun tools/dev-env/chromium.sh"
  fi
  path="$(found_chromium)" || die "apt-get installed chromium but no chromium binary is on PATH or at /usr/bin/chromium"
fi
"$path" --version >/dev/null 2>&1 || die "$path does not run ('$path --version' failed): reinstall with 'apt-get install --reinstall chromium'"
echo "$path"
