#!/bin/bash
# apex-local/neo4j entrypoint: Neo4j 5 community embedded (apex launcher).
# NEO4J_AUTH=neo4j/<password> | none; bolt 0.0.0.0:7687; discovery on :7474; data in /data.
set -Eeo pipefail
if [ "${1:-neo4j}" != neo4j ]; then exec "$@"; fi
heap="${NEO4J_server_memory_heap_max__size:-512m}"
init_heap="${NEO4J_server_memory_heap_initial__size:-$heap}"
mkdir -p /data /logs /var/lib/neo4j
exec java -Xms"$init_heap" -Xmx"$heap" -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC \
  -cp "/opt/neo4j/classes:/opt/neo4j/lib/*" ApexNeo4jLauncher \
  --home /var/lib/neo4j --data /data --logs /logs \
  --bolt 0.0.0.0:7687 --http 0.0.0.0:7474 --advertised "${APEX_NEO4J_ADVERTISED:-localhost}"
