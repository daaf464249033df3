#!/usr/bin/env bash
# Starts, stops and reports the real local services the tests talk to, natively (no Docker):
#   moto      AWS APIs            http://127.0.0.1:${FINKS_MOTO_PORT:-5000}
#   ferretdb  MongoDB wire/SQLite mongodb://127.0.0.1:${FINKS_MONGO_PORT:-27017}/
#   prefect   Prefect 3 server    http://127.0.0.1:${FINKS_PREFECT_PORT:-4200}/api
#
# Usage: services.sh start|stop|status|env [--lease ID] [moto|ferretdb|prefect|all]...
#   start   installs what is missing (cached in FINKS_CACHE), starts what is not running, waits
#           for health, writes FINKS_RUN_DIR/<svc>.url and FINKS_RUN_DIR/services.env.
#   stop    stops only processes this script started (pid file + start time + command line).
#   status  one line per service; exit 0 only when every named service is running and healthy.
#   env     prints `export VAR=value` lines for the running services: eval "$(services.sh env)".
#
# --lease ID (used by libs/dev-services, ID = "<pid>.<token>" of the test process): `start --lease`
# records that the caller uses the services; a service it had to start is marked as started by a
# test run. `stop --lease` drops the lease and stops such a service only when no live lease is
# left, so two test runs sharing a service (Nx runs projects in parallel) never pull it from under
# each other, and a service a person started with a plain `start` is never stopped by a test run.
#
# FINKS_SERVICES_EXTERNAL=1: a healthy server already listening on a service's port (e.g. from the
# root docker-compose.yml) is used as it is instead of being an error; it is never stopped here.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_SERVICES=(moto ferretdb prefect)
MOTO_PORT="${FINKS_MOTO_PORT:-5000}"
MONGO_PORT="${FINKS_MONGO_PORT:-27017}"
PREFECT_PORT="${FINKS_PREFECT_PORT:-4200}"
AWS_REGION_DEFAULT="${FINKS_AWS_REGION:-us-east-1}"
VENV="$REPO_ROOT/.venv"
PROBE_PYTHON="${FINKS_PYTHON:-$(command -v python3 || true)}"

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

svc_port() {
  case "$1" in
    moto) echo "$MOTO_PORT" ;;
    ferretdb) echo "$MONGO_PORT" ;;
    prefect) echo "$PREFECT_PORT" ;;
  esac
}

svc_url() {
  local port
  port="$(svc_port "$1")"
  case "$1" in
    moto) echo "http://127.0.0.1:$port" ;;
    ferretdb) echo "mongodb://127.0.0.1:$port/" ;;
    prefect) echo "http://127.0.0.1:$port/api" ;;
  esac
}

# A word that must be in the process's command line for it to count as the service we started.
svc_marker() {
  case "$1" in
    moto) echo "moto_server" ;;
    ferretdb) echo "finks-ferretdb" ;;
    prefect) echo "prefect" ;;
  esac
}

svc_start_timeout() {
  if [ -n "${FINKS_START_TIMEOUT:-}" ]; then
    echo "$FINKS_START_TIMEOUT"
    return
  fi
  case "$1" in
    moto) echo 60 ;;
    ferretdb) echo 30 ;;
    # The CLI alone imports for ~10 s on a 2-core runner; an empty database adds every migration.
    prefect) echo 180 ;;
  esac
}

pid_file() { echo "$FINKS_RUN_DIR/$1.pid"; }
url_file() { echo "$FINKS_RUN_DIR/$1.url"; }
log_file() { echo "$FINKS_RUN_DIR/$1.log"; }
auto_file() { echo "$FINKS_RUN_DIR/$1.auto"; }
lease_dir() { echo "$FINKS_RUN_DIR/$1.leases"; }
data_dir() { echo "$FINKS_RUN_DIR/$1-data"; }
external_file() { echo "$FINKS_RUN_DIR/$1.external"; }

is_external() { [ -f "$(external_file "$1")" ]; }

# Field 22 of /proc/<pid>/stat: the start time, which tells a reused pid from ours.
proc_start_time() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  echo "$stat" | cut -d' ' -f20
}

# True when the pid file names a live process that we started for this service on this port.
is_ours() {
  local svc="$1" pid start cmdline
  [ -f "$(pid_file "$svc")" ] || return 1
  read -r pid start <"$(pid_file "$svc")" || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(proc_start_time "$pid")" = "$start" ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$(svc_marker "$svc")"* && "$cmdline" == *"$(svc_port "$svc")"* ]]
}

our_pid() { cut -d' ' -f1 <"$(pid_file "$1")"; }

healthy() {
  local port
  port="$(svc_port "$1")"
  case "$1" in
    moto) curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/moto-api/" 2>/dev/null ;;
    ferretdb) "$PROBE_PYTHON" "$DEV_ENV_DIR/mongo-hello.py" "$port" ;;
    prefect) [ "$(curl -fsS --max-time 2 "http://127.0.0.1:$port/api/health" 2>/dev/null)" = "true" ] ;;
  esac
}

# Prints who listens on the port (empty when it is free).
port_listener() {
  ss -ltnpH "sport = :$1" 2>/dev/null | head -n1
}

lock_run_dir() {
  exec 9>"$FINKS_RUN_DIR/.lock"
  flock -w 900 9 || die "another services.sh has held $FINKS_RUN_DIR/.lock for 15 minutes"
}

# Cache writes are shared by every run dir on the machine, so they get their own lock.
with_cache_lock() {
  local name="$1"
  shift
  (
    exec 8>"$FINKS_CACHE/.$name.lock"
    flock -w 900 8 || die "timed out waiting for $FINKS_CACHE/.$name.lock"
    "$@"
  )
}

# ---------------------------------------------------------------------------------------------
# Installs (each cached under FINKS_CACHE, keyed by what pins it)

ensure_venv() {
  with_cache_lock python-env bash "$DEV_ENV_DIR/python-env.sh" 9>&-
}

ferretdb_bin() {
  local src="$DEV_ENV_DIR/ferretdb"
  echo "$FINKS_CACHE/ferretdb-$(content_hash "$src/go.mod" "$src/go.sum" "$src/main.go")/finks-ferretdb"
}

build_ferretdb() {
  local bin go_bin tmp
  bin="$(ferretdb_bin)"
  [ -x "$bin" ] && return 0
  go_bin="$(command -v go || echo /usr/local/go/bin/go)"
  [ -x "$go_bin" ] || die "Go 1.24+ is needed once to build FerretDB (tools/dev-env/ferretdb)"
  log "building FerretDB into $bin (first time ~2 min; cached afterwards)"
  tmp="$(dirname "$bin").tmp.$$"
  mkdir -p "$tmp"
  (cd "$DEV_ENV_DIR/ferretdb" && "$go_bin" build -o "$tmp/finks-ferretdb" .) \
    || { rm -rf "$tmp"; die "go build of tools/dev-env/ferretdb failed"; }
  mv -T "$tmp" "$(dirname "$bin")"
}

ensure_ferretdb() { with_cache_lock ferretdb build_ferretdb 9>&-; }

# An empty Prefect server runs every Alembic migration at start (~13 s here). A database migrated
# once per Prefect install is copied into each throwaway PREFECT_HOME instead.
prefect_template() {
  echo "$FINKS_CACHE/prefect-db-$(basename "$(readlink -f "$VENV")")/prefect.db"
}

build_prefect_template() {
  local db tmp
  db="$(prefect_template)"
  [ -f "$db" ] && return 0
  log "migrating a template Prefect database into $(dirname "$db") (once per Prefect install)"
  tmp="$(dirname "$db").tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! env -u PREFECT_API_URL -u PREFECT_API_KEY -u PREFECT_SERVER_DATABASE_CONNECTION_URL \
    PREFECT_HOME="$tmp" PREFECT_SERVER_ANALYTICS_ENABLED=false \
    "$VENV/bin/prefect" server database upgrade -y >"$tmp/upgrade.log" 2>&1; then
    tail -n 20 "$tmp/upgrade.log" >&2
    rm -rf "$tmp"
    die "prefect server database upgrade failed"
  fi
  find "$tmp" -mindepth 1 ! -name prefect.db -exec rm -rf {} +
  mv -T "$tmp" "$(dirname "$db")"
}

ensure_prefect_template() { with_cache_lock prefect-db build_prefect_template 9>&-; }

# Runs the installs the named services need, in parallel.
install_for() {
  local jobs=() failed=0 pid
  if [[ " $* " == *" moto "* || " $* " == *" prefect "* ]]; then
    (
      ensure_venv
      if [[ " $* " == *" prefect "* ]]; then ensure_prefect_template; fi
    ) &
    jobs+=($!)
  fi
  if [[ " $* " == *" ferretdb "* ]]; then
    ensure_ferretdb &
    jobs+=($!)
  fi
  for pid in "${jobs[@]}"; do
    wait "$pid" || failed=1
  done
  return "$failed"
}

# ---------------------------------------------------------------------------------------------
# Start and stop of one service

# Starts the service detached in its own session (so stop can end its whole process group and it
# outlives the caller), records pid and start time, then waits for health.
launch() {
  local svc="$1" port cmd=() pid deadline log_path
  port="$(svc_port "$svc")"
  log_path="$(log_file "$svc")"
  rm -rf "$(data_dir "$svc")"
  case "$svc" in
    moto)
      # moto_server plus opt-in failure behaviours for tests (tools/dev-env/README.md, "moto extensions").
      cmd=("$VENV/bin/python" "$DEV_ENV_DIR/moto/finks_moto_server.py" -H 127.0.0.1 -p "$port")
      ;;
    ferretdb)
      cmd=("$(ferretdb_bin)" --listen-addr "127.0.0.1:$port" --data-dir "$(data_dir ferretdb)")
      ;;
    prefect)
      # The task run recorder writes in bulk statements that cost mostly per statement: 1,000
      # events each instead of Prefect's 100 cut the server's CPU for a flow of 200 small tasks
      # from ≈ 9.5 s to ≈ 3 s (libs/prefect README, "Bench"). Same as PREFECT_SERVER_TUNING.
      mkdir -p "$(data_dir prefect)"
      cp "$(prefect_template)" "$(data_dir prefect)/prefect.db"
      cmd=(env -u PREFECT_API_URL -u PREFECT_API_KEY -u PREFECT_SERVER_DATABASE_CONNECTION_URL
        -u PREFECT_PROFILES_PATH PREFECT_HOME="$(data_dir prefect)"
        PREFECT_SERVER_ANALYTICS_ENABLED=false PREFECT_SERVER_UI_ENABLED="${FINKS_PREFECT_UI:-true}"
        PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE="${FINKS_PREFECT_RECORDER_BATCH:-1000}"
        "$VENV/bin/prefect" server start --host 127.0.0.1 --port "$port" --analytics-off)
      ;;
  esac
  log "starting $svc on 127.0.0.1:$port (log: $log_path)"
  setsid "${cmd[@]}" >"$log_path" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid $(proc_start_time "$pid")" >"$(pid_file "$svc")"

  deadline=$((SECONDS + $(svc_start_timeout "$svc")))
  until healthy "$svc"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      fail_start "$svc" "exited before it became healthy"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail_start "$svc" "not healthy after $(svc_start_timeout "$svc") s"
      return 1
    fi
    sleep 0.25
  done
  # Someone else's server on the port would also answer the probe: the answer must come from ours.
  if ! is_ours "$svc"; then
    fail_start "$svc" "exited (another process may have taken port $port)"
    return 1
  fi
  svc_url "$svc" >"$(url_file "$svc")"
  log "$svc is up: $(svc_url "$svc")"
}

fail_start() {
  local svc="$1" why="$2"
  kill_ours "$svc"
  {
    printf '[dev-env] error: %s %s; last lines of %s:\n' "$svc" "$why" "$(log_file "$svc")"
    tail -n 30 "$(log_file "$svc")" | sed 's/^/    /'
  } >&2
}

# Ends the process group we started (SIGTERM, then SIGKILL after 20 s) and removes its state.
kill_ours() {
  local svc="$1" pid deadline
  if is_ours "$svc"; then
    pid="$(our_pid "$svc")"
    kill -TERM -- "-$pid" 2>/dev/null || true
    deadline=$((SECONDS + 20))
    while kill -0 -- "-$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        log "$svc (pid $pid) ignored SIGTERM for 20 s; sending SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || true
        sleep 0.5
        break
      fi
      sleep 0.1
    done
  elif [ -f "$(pid_file "$svc")" ]; then
    log "$svc: pid file names no process of ours (already gone); cleaning up"
  fi
  rm -rf "$(pid_file "$svc")" "$(url_file "$svc")" "$(auto_file "$svc")" "$(external_file "$svc")" \
    "$(data_dir "$svc")"
}

# Drops leases whose test process has exited; prints how many live ones remain.
live_leases() {
  local dir lease count=0
  dir="$(lease_dir "$1")"
  for lease in "$dir"/*; do
    [ -e "$lease" ] || continue
    if kill -0 "$(basename "$lease" | cut -d. -f1)" 2>/dev/null; then
      count=$((count + 1))
    else
      rm -f "$lease"
    fi
  done
  echo "$count"
}

# Rewrites services.env from the services running from this run dir (atomically: tests read it).
write_env_file() {
  local tmp="$FINKS_RUN_DIR/services.env.tmp.$$"
  {
    echo "# Written by tools/dev-env/services.sh for the services running from this directory."
    env_lines "${ALL_SERVICES[@]}"
  } >"$tmp"
  mv "$tmp" "$FINKS_RUN_DIR/services.env"
}

env_lines() {
  local svc
  for svc in "$@"; do
    { is_ours "$svc" || is_external "$svc"; } && [ -f "$(url_file "$svc")" ] || continue
    case "$svc" in
      moto)
        echo "export AWS_ENDPOINT_URL=$(cat "$(url_file moto)")"
        echo "export AWS_REGION=$AWS_REGION_DEFAULT"
        echo "export AWS_DEFAULT_REGION=$AWS_REGION_DEFAULT"
        # moto ignores credentials, but the SDKs refuse to sign requests without some.
        echo "export AWS_ACCESS_KEY_ID=test"
        echo "export AWS_SECRET_ACCESS_KEY=test"
        ;;
      ferretdb) echo "export MONGODB_URI=$(cat "$(url_file ferretdb)")" ;;
      prefect) echo "export PREFECT_API_URL=$(cat "$(url_file prefect)")" ;;
    esac
  done
}

# ---------------------------------------------------------------------------------------------
# Commands

cmd_start() {
  local lease="$1" svc listener pid failed=0
  shift
  local to_start=() started=()
  declare -A job_pids=()
  lock_run_dir

  for svc in "$@"; do
    if is_ours "$svc"; then
      if ! healthy "$svc"; then
        die "$svc runs (pid $(our_pid "$svc")) but does not answer its health check; see $(log_file "$svc") or run: $0 stop $svc"
      fi
      log "$svc already running (pid $(our_pid "$svc")), reusing it: $(svc_url "$svc")"
      # A plain start by a person takes over a service a test run started: it now stays up.
      [ -n "$lease" ] || rm -f "$(auto_file "$svc")"
      continue
    fi
    kill_ours "$svc"
    listener="$(port_listener "$(svc_port "$svc")")"
    if [ -n "$listener" ]; then
      if [ "${FINKS_SERVICES_EXTERNAL:-}" = 1 ] && healthy "$svc"; then
        log "$svc: using the server already on port $(svc_port "$svc") (FINKS_SERVICES_EXTERNAL=1; never stopped here)"
        svc_url "$svc" >"$(url_file "$svc")"
        touch "$(external_file "$svc")"
        continue
      fi
      die "cannot start $svc: port $(svc_port "$svc") is already in use by a process this script did not start ($(echo "$listener" | awk '{print $NF}')). Stop that process or choose another port with FINKS_$(svc_env_prefix "$svc")_PORT (or set FINKS_SERVICES_EXTERNAL=1 to use a server you run yourself, e.g. docker compose)."
    fi
    to_start+=("$svc")
  done

  if [ "${#to_start[@]}" -gt 0 ]; then
    install_for "${to_start[@]}" || die "installing what ${to_start[*]} need failed (see above)"
    for svc in "${to_start[@]}"; do
      launch "$svc" &
      job_pids[$svc]=$!
    done
    for svc in "${to_start[@]}"; do
      if wait "${job_pids[$svc]}"; then
        started+=("$svc")
        [ -z "$lease" ] || touch "$(auto_file "$svc")"
      else
        failed=1
      fi
    done
  fi

  if [ "$failed" -ne 0 ] && [ -n "$lease" ]; then
    # A test run that cannot get all its services fails; it must not leave the others behind.
    for svc in "${started[@]}"; do kill_ours "$svc"; done
  elif [ -n "$lease" ]; then
    for svc in "$@"; do
      mkdir -p "$(lease_dir "$svc")"
      touch "$(lease_dir "$svc")/$lease"
    done
  fi
  write_env_file
  [ "$failed" -eq 0 ] || die "could not start: $(for s in "${to_start[@]}"; do is_ours "$s" || printf '%s ' "$s"; done)"
  for svc in "$@"; do
    printf '%-9s %s\n' "$svc" "$(svc_url "$svc")"
  done
}

svc_env_prefix() {
  case "$1" in
    moto) echo MOTO ;;
    ferretdb) echo MONGO ;;
    prefect) echo PREFECT ;;
  esac
}

cmd_stop() {
  local lease="$1" svc remaining
  shift
  local to_stop=()
  declare -A job_pids=()
  lock_run_dir
  for svc in "$@"; do
    if [ -n "$lease" ]; then
      rm -f "$(lease_dir "$svc")/$lease"
      if [ ! -f "$(auto_file "$svc")" ]; then
        continue
      fi
      remaining="$(live_leases "$svc")"
      if [ "$remaining" -gt 0 ]; then
        log "$svc is still used by $remaining other test run(s); leaving it running"
        continue
      fi
    fi
    to_stop+=("$svc")
  done
  for svc in "${to_stop[@]}"; do
    if is_ours "$svc"; then
      log "stopping $svc (pid $(our_pid "$svc"))"
    elif is_external "$svc"; then
      log "$svc was not started here (FINKS_SERVICES_EXTERNAL); leaving it running"
    fi
    (kill_ours "$svc" && rm -rf "$(lease_dir "$svc")") &
    job_pids[$svc]=$!
  done
  for svc in "${to_stop[@]}"; do wait "${job_pids[$svc]}"; done
  write_env_file
}

cmd_status() {
  local svc rc=0 listener
  for svc in "$@"; do
    if is_ours "$svc"; then
      if healthy "$svc"; then
        printf '%-9s running    %s (pid %s)\n' "$svc" "$(svc_url "$svc")" "$(our_pid "$svc")"
      else
        printf '%-9s unhealthy  %s (pid %s; log %s)\n' "$svc" "$(svc_url "$svc")" "$(our_pid "$svc")" "$(log_file "$svc")"
        rc=3
      fi
    elif is_external "$svc"; then
      if healthy "$svc"; then
        printf '%-9s external   %s (not started here)\n' "$svc" "$(svc_url "$svc")"
      else
        printf '%-9s external   %s does not answer its health check\n' "$svc" "$(svc_url "$svc")"
        rc=3
      fi
    else
      listener="$(port_listener "$(svc_port "$svc")")"
      if [ -n "$listener" ]; then
        printf '%-9s stopped    port %s is taken by a process not started here (%s)\n' \
          "$svc" "$(svc_port "$svc")" "$(echo "$listener" | awk '{print $NF}')"
      else
        printf '%-9s stopped\n' "$svc"
      fi
      rc=3
    fi
  done
  return "$rc"
}

cmd_env() {
  local svc rc=0
  for svc in "$@"; do
    is_ours "$svc" || is_external "$svc" || { log "$svc is not running; start it with: bash tools/dev-env/services.sh start $svc"; rc=3; }
  done
  env_lines "$@"
  return "$rc"
}

main() {
  [ $# -ge 1 ] || usage 2
  local command="$1" lease="" services=() arg
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --lease)
        [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+\.[A-Za-z0-9_-]+$ ]] || die "--lease needs an id of the form <pid>.<token>"
        lease="$2"
        shift 2
        ;;
      all)
        services+=("${ALL_SERVICES[@]}")
        shift
        ;;
      moto | ferretdb | prefect)
        services+=("$1")
        shift
        ;;
      -h | --help) usage 0 ;;
      *) die "unknown service '$1' (expected moto, ferretdb, prefect or all)" ;;
    esac
  done
  [ "${#services[@]}" -gt 0 ] || services=("${ALL_SERVICES[@]}")
  # Keep the first occurrence of each name, in order.
  local unique=()
  for arg in "${services[@]}"; do
    [[ " ${unique[*]} " == *" $arg "* ]] || unique+=("$arg")
  done

  case "$command" in
    start) cmd_start "$lease" "${unique[@]}" ;;
    stop) cmd_stop "$lease" "${unique[@]}" ;;
    status) cmd_status "${unique[@]}" ;;
    env) cmd_env "${unique[@]}" ;;
    -h | --help | help) usage 0 ;;
    *) die "unknown command '$command' (expected start, stop, status or env)" ;;
  esac
}

main "$@"
