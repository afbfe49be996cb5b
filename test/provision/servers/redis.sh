#!/usr/bin/env bash
# Redis (Debian) on 127.0.0.1:6379 with requirepass.
# usage: redis.sh start|stop|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
LOG_TAG=redis

RDIR="$APEX_RUN/redis"
RLOG="$APEX_LOGS/redis.log"
RPORT=6379

check() {
  [ "$(redis-cli -h 127.0.0.1 -p $RPORT --no-auth-warning -a "$REDIS_PASSWORD" ping 2>/dev/null)" = PONG ]
}

start() {
  ensure_pkgs redis-server redis-tools
  mkdir -p "$RDIR"
  if is_running redis; then
    if check; then log "already running (pid $(pid_of redis))"; return 0; fi
    log "running with other credentials; restarting"
    stop_pid redis 20
  fi
  require_free_port redis $RPORT
  (
    umask 077
    cat >"$RDIR/redis.conf" <<CONF
bind 127.0.0.1
port $RPORT
protected-mode yes
daemonize no
dir $RDIR
appendonly yes
save ""
requirepass $REDIS_PASSWORD
loglevel notice
CONF
  )
  log "starting on 127.0.0.1:$RPORT"
  start_bg redis redis-server "$RDIR/redis.conf"
  WAIT_PID=$(pid_of redis) wait_until redis 30 "$RLOG" check
  log "ready: redis://:***@127.0.0.1:$RPORT"
}

stop() { stop_pid redis 20; }

load_credentials
run_action "$@"
