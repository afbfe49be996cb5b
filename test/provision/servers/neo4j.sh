#!/usr/bin/env bash
# Neo4j 5 Community, embedded (jars from Maven Central) behind a tiny launcher:
# Bolt on 127.0.0.1:7687, auth neo4j/$NEO4J_PASSWORD.
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
  if is_running neo4j; then
    if check >/dev/null; then log "already running (pid $(pid_of neo4j))"; return 0; fi
    stop_pid neo4j 60
  fi
  require_free_port neo4j 7687; require_free_port neo4j 7474
  log "starting Neo4j $NEO4J_VERSION embedded on 127.0.0.1:7687"
  start_bg neo4j env NEO4J_AUTH="$NEO4J_USER/$NEO4J_PASSWORD" \
    java -Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError -jar "$LAUNCHER_JAR" \
    --home "$NDIR" --bolt 127.0.0.1:7687 --http 127.0.0.1:7474
  WAIT_PID=$(pid_of neo4j) wait_until neo4j 180 "$NLOG" check
  log "ready: bolt://127.0.0.1:7687 (user $NEO4J_USER)"
}

stop() { stop_pid neo4j 60; }

load_credentials
run_action "$@"
