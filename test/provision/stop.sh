#!/usr/bin/env bash
# Stop the native test servers started by provision.sh (data is kept).
# Add --purge to also delete their data under /var/tmp/apex-servers (caches are kept).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=stop
rc=0
for s in s3 neo4j temporal qdrant redis postgres; do
  bash "$PROVISION_DIR/servers/$s.sh" stop || rc=1
done
if [ "${1:-}" = --purge ]; then
  log "purging $APEX_RUN"
  rm -rf "${APEX_RUN:?}/postgres" "$APEX_RUN/redis" "$APEX_RUN/temporal" "$APEX_RUN/neo4j" \
    "$APEX_RUN/qdrant" "$APEX_RUN/s3" "$APEX_RUN/ci.env"
fi
exit $rc
