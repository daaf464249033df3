#!/usr/bin/env bash
# Creates the project's Python 3.11 virtual environment from python/requirements.lock (hashes
# checked) and links it as .venv at the repo root. The env lives in FINKS_CACHE under the lock's
# hash: a changed lock builds a new env, an unchanged one is reused at once.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lock="$DEV_ENV_DIR/python/requirements.lock"
python_bin="${FINKS_PYTHON:-$(command -v python3.11 || command -v python3)}"
"$python_bin" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null \
  || die "Python 3.11 is required (found $("$python_bin" --version 2>&1)); set FINKS_PYTHON to a 3.11 interpreter"

uv_home="$FINKS_CACHE/uv-bootstrap"
uv="$uv_home/bin/uv"
if [ ! -x "$uv" ]; then
  log "installing uv into $uv_home"
  "$python_bin" -m venv "$uv_home"
  "$uv_home/bin/pip" install --quiet --disable-pip-version-check "uv==$(cat "$DEV_ENV_DIR/python/uv-version")"
fi

venv="$FINKS_CACHE/venv-$(content_hash "$lock" "$DEV_ENV_DIR/python/uv-version")"
if [ ! -f "$venv/.complete" ]; then
  log "building Python env $venv from requirements.lock (first run takes a few minutes)"
  rm -rf "$venv"
  "$uv" venv --quiet --python "$python_bin" "$venv"
  VIRTUAL_ENV="$venv" "$uv" pip sync --quiet --require-hashes --python "$venv/bin/python" "$lock"
  touch "$venv/.complete"
fi
# Bytecode compiled once, here: uv installs without it, and where PYTHONDONTWRITEBYTECODE is set
# (this machine, CI, many containers) every Python start would compile its imports again — the
# Prefect server's ~14 s of imports take ~7 s from bytecode, dbt's 4 s take 3.6 s. A few
# packages ship files only newer Pythons compile (e.g. whenever/_typing_312.py); nothing imports them.
if [ ! -f "$venv/.bytecode" ]; then
  log "compiling the Python env's bytecode (once)"
  "$venv/bin/python" -m compileall -q -j 0 "$venv/lib" >/dev/null 2>&1 ||
    log "a few files of the env do not compile under Python 3.11 (written for newer Pythons); nothing imports them"
  touch "$venv/.bytecode"
fi
ln -sfn "$venv" "$REPO_ROOT/.venv"
log "Python env ready: $REPO_ROOT/.venv -> $venv"
