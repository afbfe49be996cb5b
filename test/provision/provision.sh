#!/usr/bin/env bash
# Provision apex's REAL test servers natively on 127.0.0.1 (idempotent).
#   PostgreSQL 17 + pgvector (trixie tree) :5432 · Redis :6379 · Temporal dev server :7233 (metrics :9000)
#   Neo4j 5 embedded + APOC core :7687 · Qdrant stand-in :6333 · LocalStack S3 :4566
#   Prometheus/Alertmanager binaries installed only (not started).
#   docker-compose (Debian's v1.29): a test tool the docker e2e tests check apex against, not an apex dependency.
#   The apex-memory contract double's venv (test/provision/apex-memory-double.sh), cached like the servers' builds.
# Writes the credentials to /var/tmp/apex-servers/ci.env. See test/provision/README.md.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=provision
SERVERS="$PROVISION_DIR/servers"

[ "$(id -u)" = 0 ] || die "run as root (installs packages, runs servers as the postgres user)"
T0=$SECONDS
init_dirs

PKGS=(
  debootstrap redis-server redis-tools
  prometheus prometheus-alertmanager
  openjdk-17-jdk-headless maven python3 python3-venv
  curl openssl ca-certificates iproute2 procps util-linux
  docker-compose
  chromium
)

# Keep Debian's maintainer scripts from starting distro services (their own
# postgres/redis/prometheus would take our ports) while we install.
install_packages() {
  local added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; added_policy=1
  fi
  ensure_pkgs "${PKGS[@]}" || { [ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
  [ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d
  local svc
  for svc in prometheus prometheus-alertmanager prometheus-node-exporter redis-server; do
    if [ -x "/etc/init.d/$svc" ] && "/etc/init.d/$svc" status >/dev/null 2>&1; then
      log "stopping distro service $svc"; "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
    fi
  done
  # Alertmanager is packaged as prometheus-alertmanager; also offer the upstream name.
  [ -e /usr/local/bin/alertmanager ] || ln -s /usr/bin/prometheus-alertmanager /usr/local/bin/alertmanager
  command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v prometheus-alertmanager >/dev/null \
    || die "prometheus/promtool/prometheus-alertmanager not on PATH after install"
}

log "installing packages (missing ones only)"
install_packages

load_credentials
write_ci_env
log "credentials in $CI_ENV_FILE"

# Heavy builds in parallel (all cached under $APEX_CACHE; no-ops when warm).
log "building caches (temporal CLI, neo4j jars+launcher+APOC, LocalStack venv, PostgreSQL trixie tree, contract double venv)"
declare -A BUILD_PIDS=()
for s in temporal neo4j s3 postgres; do
  bash "$SERVERS/$s.sh" build >"$APEX_LOGS/build-$s.log" 2>&1 &
  BUILD_PIDS[$s]=$!
done
bash "$PROVISION_DIR/apex-memory-double.sh" build >"$APEX_LOGS/build-apex-memory-double.log" 2>&1 &
BUILD_PIDS[apex-memory-double]=$!
failed=()
for s in "${!BUILD_PIDS[@]}"; do
  if ! wait "${BUILD_PIDS[$s]}"; then failed+=("$s"); show_log_tail "$APEX_LOGS/build-$s.log"; fi
done
[ ${#failed[@]} -eq 0 ] || die "build failed: ${failed[*]}"
log "builds done ($((SECONDS - T0))s so far)"

# Start everything; slow starters in parallel, each waits for its own readiness.
declare -A START_PIDS=()
for s in postgres redis qdrant temporal neo4j s3; do
  bash "$SERVERS/$s.sh" start 2>&1 | sed -u "s/^/  /" >&2 &
  START_PIDS[$s]=$!
done
failed=()
for s in "${!START_PIDS[@]}"; do
  wait "${START_PIDS[$s]}" || failed+=("$s")
done
# `wait` on a pipeline returns sed's status; re-check each server for real.
for s in postgres redis qdrant temporal neo4j s3; do
  if ! bash "$SERVERS/$s.sh" check >/dev/null 2>&1; then
    case " ${failed[*]} " in *" $s "*) ;; *) failed+=("$s") ;; esac
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  for s in "${failed[@]}"; do show_log_tail "$APEX_LOGS/$s.log"; done
  die "servers not ready: ${failed[*]}"
fi

log "all servers ready in $((SECONDS - T0))s"
cat >&2 <<EOF2
  postgres  127.0.0.1:5432  user/db from $CI_ENV_FILE
  redis     127.0.0.1:6379
  temporal  127.0.0.1:7233  ui http://127.0.0.1:8233  metrics http://127.0.0.1:9000/metrics
  neo4j     bolt://127.0.0.1:7687
  qdrant    http://127.0.0.1:6333  (stand-in)
  s3        http://127.0.0.1:4566  (LocalStack $LOCALSTACK_VERSION)
  prometheus: $(command -v prometheus) promtool: $(command -v promtool) alertmanager: $(command -v prometheus-alertmanager)
  logs: $APEX_LOGS   stop: bash test/provision/stop.sh
EOF2
