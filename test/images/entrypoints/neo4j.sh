#!/bin/bash
# apex-local/neo4j entrypoint: Neo4j 5 community embedded (apex launcher).
# NEO4J_AUTH=neo4j/<password> | none; bolt 0.0.0.0:7687; discovery on :7474; data in /data.
# NEO4J_PLUGINS='["apoc"]' loads APOC core from /plugins (also on the class path, as Neo4j's start script does), as
# the official image does (the only plugin it has); the procedures it may run are the dbms.security.procedures.*
# settings (NEO4J_dbms_security_procedures_unrestricted, …).
# Start-up speed: the class data sharing archive that build-images.sh recorded (its absence or a mismatch only
# costs speed), and the C1 compiler only (TieredStopAtLevel=1), which halves the CPU an empty database's start
# needs on a small machine at some cost in peak query speed; NEO4J_server_jvm_additional (as in the official
# image) comes last, so e.g. -XX:TieredStopAtLevel=4 brings the C2 compiler back.
set -Eeo pipefail
if [ "${1:-neo4j}" != neo4j ]; then exec "$@"; fi
heap="${NEO4J_server_memory_heap_max__size:-512m}"
init_heap="${NEO4J_server_memory_heap_initial__size:-$heap}"
mkdir -p /data /logs /var/lib/neo4j /plugins
for plugin in $(tr -d '[]" ' <<<"${NEO4J_PLUGINS:-}" | tr ',' ' '); do
  case "$plugin" in
    apoc) cp -f /opt/neo4j/labs/apoc/*.jar /plugins/ ;;
    *) echo "apex-local/neo4j: plugin $plugin is not in this image (it has apoc only); not loaded" >&2 ;;
  esac
done
# shellcheck disable=SC2086 # NEO4J_server_jvm_additional holds several flags
exec java -Xms"$init_heap" -Xmx"$heap" -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC \
  -XX:SharedArchiveFile=/opt/neo4j/apex-neo4j.jsa -XX:TieredStopAtLevel=1 ${NEO4J_server_jvm_additional:-} \
  -cp '/opt/neo4j/launcher/apex-neo4j-launcher.jar:/plugins/*' ApexNeo4jLauncher \
  --home /var/lib/neo4j --data /data --logs /logs --plugins /plugins \
  --bolt 0.0.0.0:7687 --http 0.0.0.0:7474 --advertised "${APEX_NEO4J_ADVERTISED:-localhost}"
