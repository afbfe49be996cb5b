#!/usr/bin/env bash
# The apex-memory contract DOUBLE's venv (test/apex-memory-double: temporalio, boto3, psycopg, neo4j, qdrant-client,
# redis, prometheus_client at the versions pinned in its requirements files), cached under $APEX_CACHE and rebuilt
# only when those files change. ci.env names its interpreter as APEX_MEMORY_DOUBLE_PYTHON.
# usage: apex-memory-double.sh build|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=apex-memory-double

DOUBLE_DIR="$REPO_ROOT/test/apex-memory-double"
REQUIREMENTS="$DOUBLE_DIR/requirements.txt"
FREEZE="$DOUBLE_DIR/requirements-freeze.txt"
VENV="$APEX_MEMORY_DOUBLE_VENV"

stamp() { cat "$REQUIREMENTS" "$FREEZE" | sha256sum | cut -c1-16; }

# Imports everything the double and its load script use, with the double's own package on the path.
check() {
  [ -f "$VENV/.complete" ] && [ "$(cat "$VENV/.complete")" = "$(stamp)" ] &&
    (cd "$DOUBLE_DIR" && "$VENV/bin/python" -c 'import apex_memory_double.worker, load_script')
}

build() {
  ensure_pkgs python3 python3-venv ca-certificates
  if check 2>/dev/null; then return 0; fi
  log "building the contract double's venv in $VENV (pip; about a minute)"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  /usr/bin/python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQUIREMENTS" -c "$FREEZE" \
    </dev/null >"$APEX_LOGS/apex-memory-double-pip.log" 2>&1 \
    || { show_log_tail "$APEX_LOGS/apex-memory-double-pip.log"; die "pip install of the contract double's requirements failed"; }
  stamp >"$VENV/.complete"
  check || die "the contract double does not import in $VENV"
  log "ready: $VENV/bin/python"
}

run_action "$@"
