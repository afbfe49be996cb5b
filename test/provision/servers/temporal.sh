#!/usr/bin/env bash
# Temporal dev server (temporal CLI built from the Go module proxy, cached).
# 127.0.0.1:7233 gRPC, UI 8233, Prometheus metrics http://127.0.0.1:9000/metrics, namespace apex.
# usage: temporal.sh build|start|stop|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
LOG_TAG=temporal

TBIN="$APEX_CACHE/temporal/$TEMPORAL_CLI_VERSION/temporal"
TDIR="$APEX_RUN/temporal"
TLOG="$APEX_LOGS/temporal.log"

build() {
  if [ -x "$TBIN" ] && "$TBIN" --version >/dev/null 2>&1; then return 0; fi
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || die "Go toolchain not found (needed once to build the temporal CLI)"
  local GO; GO=$(command -v go || echo /usr/local/go/bin/go)
  log "building temporal CLI v$TEMPORAL_CLI_VERSION with go install (several minutes on 2 cores)"
  local gobin; gobin=$(mktemp -d)
  # v1.5.1's go.mod has no replace directive, so `go install pkg@version` works.
  GOBIN="$gobin" GOFLAGS=-mod=mod "$GO" install \
    -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$TEMPORAL_CLI_VERSION" \
    "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" </dev/null >"$APEX_LOGS/temporal-build.log" 2>&1 \
    || { show_log_tail "$APEX_LOGS/temporal-build.log"; die "go install temporal failed"; }
  mkdir -p "$(dirname "$TBIN")"
  install -m 755 "$gobin/temporal" "$TBIN.tmp" && mv -f "$TBIN.tmp" "$TBIN"
  rm -rf "$gobin"
  "$TBIN" --version
}

check() {
  "$TBIN" operator namespace describe --address 127.0.0.1:7233 --namespace apex -o json >/dev/null 2>&1 &&
    curl -fsS --max-time 3 http://127.0.0.1:9000/metrics >/dev/null
}

start() {
  build
  mkdir -p "$TDIR"
  ln -sf "$TBIN" /usr/local/bin/temporal 2>/dev/null || true
  if is_running temporal; then
    if check; then log "already running (pid $(pid_of temporal))"; return 0; fi
    stop_pid temporal 30
  fi
  local p; for p in 7233 8233 9000; do require_free_port temporal $p; done
  log "starting dev server on 127.0.0.1:7233 (ui 8233, metrics 9000)"
  start_bg temporal "$TBIN" server start-dev \
    --ip 127.0.0.1 --port 7233 --ui-port 8233 --metrics-port 9000 \
    --db-filename "$TDIR/temporal.db" --namespace apex --log-level warn \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal
  WAIT_PID=$(pid_of temporal) wait_until temporal 90 "$TLOG" check
  log "ready: 127.0.0.1:7233 namespace apex"
}

stop() { stop_pid temporal 30; }

run_action "$@"
