#!/usr/bin/env bash
# Qdrant STAND-IN (test/qdrant-standin/qdrant_standin.py, stdlib Python) on 127.0.0.1:6333.
# usage: qdrant.sh start|stop|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
LOG_TAG=qdrant

STANDIN="$REPO_ROOT/test/qdrant-standin/qdrant_standin.py"
QDIR="$APEX_RUN/qdrant"
QLOG="$APEX_LOGS/qdrant.log"

check() {
  curl -fsS --max-time 3 http://127.0.0.1:6333/readyz >/dev/null &&
    curl -fsS --max-time 3 http://127.0.0.1:6333/ | grep -q 'stand-in'
}

start() {
  ensure_pkgs python3
  mkdir -p "$QDIR/storage"
  if is_running qdrant; then
    if check; then log "already running (pid $(pid_of qdrant))"; return 0; fi
    stop_pid qdrant 10
  fi
  require_free_port qdrant 6333
  log "starting the qdrant stand-in on 127.0.0.1:6333"
  start_bg qdrant /usr/bin/python3 "$STANDIN" --host 127.0.0.1 --port 6333 --storage "$QDIR/storage" --quiet
  WAIT_PID=$(pid_of qdrant) wait_until qdrant 20 "$QLOG" check
  log "ready: http://127.0.0.1:6333 (stand-in)"
}

stop() { stop_pid qdrant 10; }

run_action "$@"
