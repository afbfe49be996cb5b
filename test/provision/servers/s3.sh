#!/usr/bin/env bash
# S3 emulator on 127.0.0.1:4566: LocalStack (localstack-core from PyPI, S3 only)
# run natively from a venv cached under $APEX_CACHE. Credentials test/test, us-east-1.
# usage: s3.sh build|start|stop|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
LOG_TAG=s3

CONSTRAINTS="$PROVISION_DIR/s3/localstack-constraints.txt"
FREEZE="$PROVISION_DIR/s3/localstack-freeze.txt"
VENV="$APEX_CACHE/s3-venv/localstack-$LOCALSTACK_VERSION"
SDIR="$APEX_RUN/s3"
SLOG="$APEX_LOGS/s3.log"
SPORT=4566

stamp() { { echo "$LOCALSTACK_VERSION"; cat "$CONSTRAINTS" "$FREEZE"; } | sha256sum | cut -c1-16; }

build() {
  ensure_pkgs python3 python3-venv ca-certificates
  if [ -f "$VENV/.complete" ] && [ "$(cat "$VENV/.complete")" = "$(stamp)" ]; then return 0; fi
  log "building LocalStack $LOCALSTACK_VERSION venv in $VENV (pip; a few minutes)"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  /usr/bin/python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -c "$CONSTRAINTS" -c "$FREEZE" \
    "localstack-core[runtime]==$LOCALSTACK_VERSION" boto3 </dev/null >"$APEX_LOGS/s3-pip.log" 2>&1 \
    || { show_log_tail "$APEX_LOGS/s3-pip.log"; die "pip install of localstack-core failed"; }
  "$VENV/bin/python" -c 'import localstack.aws.components, localstack.services.s3.provider' \
    || die "LocalStack imports fail in $VENV"
  stamp >"$VENV/.complete"
}

health() {
  curl -fsS --max-time 3 "http://127.0.0.1:$SPORT/_localstack/health" | grep -Eq '"s3": *"(running|available)"'
}

# A real S3 round trip (ListBuckets) with boto3.
check() {
  health && "$VENV/bin/python" - <<'PY'
import boto3
s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:4566", aws_access_key_id="test",
                  aws_secret_access_key="test", region_name="us-east-1")
s3.list_buckets()
PY
}

start() {
  build
  mkdir -p "$SDIR"
  if is_running s3; then
    if check 2>/dev/null; then log "already running (pid $(pid_of s3))"; return 0; fi
    stop_pid s3 20
  fi
  require_free_port s3 $SPORT
  log "starting LocalStack $LOCALSTACK_VERSION (S3 only) on 127.0.0.1:$SPORT"
  # GATEWAY_SERVER=hypercorn: the default twisted gateway needs service_identity
  # wiring that only the container image has.
  ( cd "$SDIR" && start_bg s3 env \
      GATEWAY_LISTEN=127.0.0.1:$SPORT GATEWAY_SERVER=hypercorn SERVICES=s3 EAGER_SERVICE_LOADING=1 \
      LOCALSTACK_HOST=127.0.0.1:$SPORT DNS_ADDRESS=0 DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 \
      LOCALSTACK_VOLUME_DIR="$SDIR/volume" PERSISTENCE=0 DEBUG=0 \
      AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
      "$VENV/bin/python" -m localstack.runtime.main )
  WAIT_PID=$(pid_of s3) wait_until s3 120 "$SLOG" check
  log "ready: http://127.0.0.1:$SPORT (LocalStack $LOCALSTACK_VERSION, S3)"
}

stop() { stop_pid s3 30; }

run_action "$@"
