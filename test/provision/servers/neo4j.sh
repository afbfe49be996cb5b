#!/usr/bin/env bash
# Neo4j 5 Community, embedded (jars from Maven Central) behind a tiny launcher:
# Bolt on 127.0.0.1:7687, auth neo4j/$NEO4J_PASSWORD, APOC core's procedures loaded and allowed.
# usage: neo4j.sh build|start|stop|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
LOG_TAG=neo4j

SRC="$PROVISION_DIR/neo4j-launcher"
NCACHE="$APEX_CACHE/neo4j/$NEO4J_VERSION"
NDIR="$APEX_RUN/neo4j"
NLOG="$APEX_LOGS/neo4j.log"
# The launcher jar names the Neo4j jars in its manifest (sorted), so that the class path is the same wherever
# it runs: a class data sharing archive (test/images/build-images.sh) is only used with the class path it was made on.
LAUNCHER_JAR="$NCACHE/launcher/apex-neo4j-launcher.jar"
# APOC core (Maven Central) and the dependencies Neo4j's own jars do not already provide: a plugins directory, also on
# the class path (as Neo4j's own start script puts plugins/*), where Neo4j finds APOC's extension (its ApocConfig).
APOC_DIR="$NCACHE/apoc-$APOC_VERSION"

src_stamp() { cat "$SRC/ApexNeo4jLauncher.java" "$SRC/pom.xml" | sha256sum | cut -c1-16; }

build() {
  ensure_pkgs openjdk-17-jdk-headless maven
  if [ ! -f "$NCACHE/lib/.complete" ]; then
    log "resolving Neo4j $NEO4J_VERSION jars from Maven Central into $NCACHE/lib"
    rm -rf "$NCACHE/lib"; mkdir -p "$NCACHE/lib"
    mvn -B -q -f "$SRC/pom.xml" -Dneo4j.version="$NEO4J_VERSION" dependency:copy-dependencies \
      -DoutputDirectory="$NCACHE/lib" -DincludeScope=runtime </dev/null >"$APEX_LOGS/neo4j-mvn.log" 2>&1 \
      || { show_log_tail "$APEX_LOGS/neo4j-mvn.log"; die "mvn dependency:copy-dependencies failed"; }
    # Native/macOS artefacts are not needed on Linux x86_64.
    rm -f "$NCACHE/lib/"*osx*.jar "$NCACHE/lib/"*aarch_64*.jar
    touch "$NCACHE/lib/.complete"
  fi
  if [ ! -f "$APOC_DIR/.complete" ]; then
    log "resolving APOC core $APOC_VERSION from Maven Central into $APOC_DIR"
    rm -rf "$APOC_DIR"; mkdir -p "$APOC_DIR"
    mvn -B -q -f "$SRC/apoc-pom.xml" -Dapoc.version="$APOC_VERSION" dependency:copy-dependencies \
      -DoutputDirectory="$APOC_DIR" -DincludeScope=runtime </dev/null >"$APEX_LOGS/neo4j-apoc-mvn.log" 2>&1 \
      || { show_log_tail "$APEX_LOGS/neo4j-apoc-mvn.log"; die "resolving APOC core $APOC_VERSION failed"; }
    local jar artifact
    for jar in "$APOC_DIR"/*.jar; do
      artifact=$(basename "$jar" | sed -E 's/-[0-9][^-]*(-[A-Za-z0-9]+)?\.jar$//')
      if compgen -G "$NCACHE/lib/$artifact-[0-9]*.jar" >/dev/null; then rm -f "$jar"; fi
    done
    touch "$APOC_DIR/.complete"
  fi
  if [ "$(cat "$NCACHE/launcher/.stamp" 2>/dev/null)" != "$(src_stamp)" ]; then
    log "compiling the launcher"
    local tmp
    tmp=$(mktemp -d "$NCACHE/launcher.XXXXXX"); chmod 755 "$tmp"
    javac -nowarn -d "$tmp/classes" -cp "$NCACHE/lib/*" "$SRC/ApexNeo4jLauncher.java"
    # (manifest lines stay under 72 bytes: each further jar is a continuation line, " " + " ../lib/NAME")
    (cd "$NCACHE/lib" && LC_ALL=C ls -- *.jar) | awk '
      BEGIN { print "Main-Class: ApexNeo4jLauncher" }
      { printf (NR == 1 ? "Class-Path: ../lib/%s\n" : "  ../lib/%s\n"), $0 }' >"$tmp/MANIFEST.MF"
    jar cfm "$tmp/apex-neo4j-launcher.jar" "$tmp/MANIFEST.MF" -C "$tmp/classes" .
    src_stamp >"$tmp/.stamp"
    rm -rf "$tmp/classes" "$tmp/MANIFEST.MF" "$NCACHE/launcher"
    mv "$tmp" "$NCACHE/launcher"
  fi
}

check() {
  grep -q 'READY bolt://' "$NLOG" 2>/dev/null &&
    python3 "$PROVISION_DIR/bolt_check.py" 127.0.0.1 7687 "$NEO4J_USER" "$NEO4J_PASSWORD"
}

start() {
  build
  mkdir -p "$NDIR"
  # A server started by another launcher or without this APOC is restarted.
  local signature
  signature="$(src_stamp) apoc-$APOC_VERSION"
  if is_running neo4j; then
    if [ "$(cat "$APEX_PIDS/neo4j.signature" 2>/dev/null)" = "$signature" ] && check >/dev/null; then
      log "already running (pid $(pid_of neo4j))"; return 0
    fi
    stop_pid neo4j 60
  fi
  require_free_port neo4j 7687; require_free_port neo4j 7474
  log "starting Neo4j $NEO4J_VERSION embedded on 127.0.0.1:7687"
  start_bg neo4j env NEO4J_AUTH="$NEO4J_USER/$NEO4J_PASSWORD" \
    NEO4J_dbms_security_procedures_unrestricted='apoc.*' NEO4J_dbms_security_procedures_allowlist='apoc.*' \
    java -Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError -cp "$LAUNCHER_JAR:$APOC_DIR/*" ApexNeo4jLauncher \
    --home "$NDIR" --plugins "$APOC_DIR" --bolt 127.0.0.1:7687 --http 127.0.0.1:7474
  echo "$signature" >"$APEX_PIDS/neo4j.signature"
  WAIT_PID=$(pid_of neo4j) wait_until neo4j 180 "$NLOG" check
  log "ready: bolt://127.0.0.1:7687 (user $NEO4J_USER)"
}

stop() { stop_pid neo4j 60; }

load_credentials
run_action "$@"
