# shellcheck shell=bash
# Shared helpers for test/provision/*.sh and test/images/*.sh. Source it; do not run it.

PROVISION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$PROVISION_DIR/../.." && pwd)"

# Caches survive fresh clones; runtime state lives outside the repo.
APEX_CACHE="${APEX_CACHE:-/var/cache/apex}"
APEX_RUN="${APEX_RUN:-/var/tmp/apex-servers}"
APEX_LOGS="$APEX_RUN/logs"
APEX_PIDS="$APEX_RUN/run"
CI_ENV_FILE="$APEX_RUN/ci.env"
# The apex-memory contract double's venv (test/provision/apex-memory-double.sh).
APEX_MEMORY_DOUBLE_VENV="$APEX_CACHE/apex-memory-double-venv"

# Pinned versions (bump here only).
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-1.5.1}"
NEO4J_VERSION="${NEO4J_VERSION:-5.26.30}"
LOCALSTACK_VERSION="${LOCALSTACK_VERSION:-4.9.2}"
# PostgreSQL with pgvector: Debian trixie's packages of this major version (bookworm has no pgvector).
POSTGRES_MAJOR="${POSTGRES_MAJOR:-17}"
# APOC core for the Neo4j above: the newest release of its 5.26 line on Maven Central (none is published for 5.26.30).
APOC_VERSION="${APOC_VERSION:-5.26.19}"

export DEBIAN_FRONTEND=noninteractive

log() { printf '%s [%s] %s\n' "$(date -u +%H:%M:%S)" "${LOG_TAG:-provision}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The Debian mirror is whatever this machine's apt sources use; never hard-code it.
apt_mirror() {
  local m=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || die "cannot read the Debian mirror from /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
  printf '%s\n' "$m"
}

_APT_UPDATED=""
ensure_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ -z "$_APT_UPDATED" ]; then
    apt-get update -qq </dev/null >/dev/null || apt-get update </dev/null || die "apt-get update failed"
    _APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null \
    || apt-get install -y --no-install-recommends "${missing[@]}" </dev/null \
    || die "apt-get install ${missing[*]} failed"
}

init_dirs() { mkdir -p "$APEX_RUN" "$APEX_LOGS" "$APEX_PIDS" "$APEX_CACHE"; chmod 755 "$APEX_RUN"; }

pid_of() { local f="$APEX_PIDS/$1.pid"; [ -s "$f" ] && cat "$f"; }
is_running() { local p; p=$(pid_of "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# start_bg NAME CMD... : detached from this shell (own session), output to $APEX_LOGS/NAME.log
start_bg() {
  local name=$1; shift
  : >"$APEX_LOGS/$name.log"
  setsid nohup "$@" >>"$APEX_LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$APEX_PIDS/$name.pid"
}

# stop_pid NAME [TIMEOUT] : SIGTERM, wait, then SIGKILL
stop_pid() {
  local name=$1 timeout=${2:-30} p i
  p=$(pid_of "$name") || { rm -f "$APEX_PIDS/$name.pid"; return 0; }
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    log "stopping $name (pid $p)"
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$p" 2>/dev/null; then
      log "$name did not stop in ${timeout}s; SIGKILL"
      kill -KILL "$p" 2>/dev/null || true
      sleep 0.5
    fi
  fi
  rm -f "$APEX_PIDS/$name.pid"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Who is listening on a TCP port (for error messages).
port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -1; }

show_log_tail() {
  local f=$1
  if [ -f "$f" ]; then
    log "---- last 40 lines of $f ----"
    tail -n 40 "$f" >&2 || true
    log "---- end of $f ----"
  else
    log "(no log at $f)"
  fi
}

# wait_until NAME TIMEOUT LOGFILE CMD... : poll CMD every 0.5s; on timeout print log tail and fail.
wait_until() {
  local name=$1 timeout=$2 logf=$3; shift 3
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -n "${WAIT_PID:-}" ] && ! kill -0 "$WAIT_PID" 2>/dev/null; then
      log "$name exited while starting"
      show_log_tail "$logf"
      die "$name failed to start"
    fi
    sleep 0.5
  done
  log "$name not ready after ${timeout}s"
  show_log_tail "$logf"
  die "$name failed to become ready"
}

# Refuse to start on a port somebody else holds (after our own pid was checked).
require_free_port() {
  local name=$1 port=$2
  if port_open 127.0.0.1 "$port"; then
    die "$name: 127.0.0.1:$port is already in use by: $(port_owner "$port" || echo unknown). Stop it (or run test/provision/stop.sh) and retry."
  fi
}

# Credentials: environment > existing ci.env (keeps running servers valid) > random.
load_credentials() {
  local k v
  if [ -f "$CI_ENV_FILE" ]; then
    while IFS='=' read -r k v; do
      case "$k" in
        POSTGRES_PASSWORD | REDIS_PASSWORD | NEO4J_PASSWORD)
          [ -z "${!k:-}" ] && printf -v "$k" '%s' "$v" ;;
      esac
    done <"$CI_ENV_FILE"
  fi
  POSTGRES_USER="${POSTGRES_USER:-apex}"
  POSTGRES_DB="${POSTGRES_DB:-apex}"
  POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-$(openssl rand -hex 16)}"
  REDIS_PASSWORD="${REDIS_PASSWORD:-$(openssl rand -hex 16)}"
  NEO4J_USER="${NEO4J_USER:-neo4j}"
  NEO4J_PASSWORD="${NEO4J_PASSWORD:-$(openssl rand -hex 16)}"
  export POSTGRES_USER POSTGRES_DB POSTGRES_PASSWORD REDIS_PASSWORD NEO4J_USER NEO4J_PASSWORD
  # A server script run on its own must leave the credentials it used behind.
  [ -f "$CI_ENV_FILE" ] || { mkdir -p "$APEX_RUN"; write_ci_env; }
}

write_ci_env() {
  local tmp="$CI_ENV_FILE.tmp.$$"
  (
    umask 077
    cat >"$tmp" <<EOF
POSTGRES_USER=$POSTGRES_USER
POSTGRES_PASSWORD=$POSTGRES_PASSWORD
POSTGRES_DB=$POSTGRES_DB
NEO4J_USER=$NEO4J_USER
NEO4J_PASSWORD=$NEO4J_PASSWORD
REDIS_PASSWORD=$REDIS_PASSWORD
AWS_ACCESS_KEY_ID=test
AWS_SECRET_ACCESS_KEY=test
AWS_DEFAULT_REGION=us-east-1
S3_ENDPOINT_URL=http://127.0.0.1:4566
TEMPORAL_ADDRESS=127.0.0.1:7233
TEMPORAL_NAMESPACE=apex
APEX_SERVERS=native
TEMPORAL_METRICS_URL=http://127.0.0.1:9000/metrics
APEX_MEMORY_DOUBLE_PYTHON=$APEX_MEMORY_DOUBLE_VENV/bin/python
EOF
  )
  chmod 600 "$tmp"
  mv -f "$tmp" "$CI_ENV_FILE"
}

# The tail of every servers/*.sh: run the action named by $1 (default start)
# among the functions the script defines (build, start, stop, check).
run_action() {
  local action=${1:-start} known=() a
  for a in build start stop check; do declare -F "$a" >/dev/null && known+=("$a"); done
  init_dirs
  [[ " ${known[*]} " == *" $action "* ]] || die "usage: $0 $(IFS='|'; echo "${known[*]}")"
  "$action"
}
