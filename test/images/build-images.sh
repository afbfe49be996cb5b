#!/usr/bin/env bash
# Build apex's local docker images without any registry:
#   debootstrap (minbase bookworm, mirror read from this machine's apt sources)
#   -> chroot apt-get install the servers -> add temporal/neo4j/qdrant stand-in/LocalStack
#   -> `docker import` as apex-local/base:1 -> per-service images derived with
#      Dockerfiles that contain no RUN (FROM + ENTRYPOINT/CMD/ENV/WORKDIR only).
# Idempotent: every stage is skipped when its output (cache file / image) is current.
# Writes test/images/images.override.yaml (an apex config fragment).
set -euo pipefail
IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$IMAGES_DIR/../provision/lib.sh"
. "$PROVISION_DIR/rootfs.sh"
LOG_TAG=images

[ "$(id -u)" = 0 ] || die "run as root (debootstrap/chroot)"
T0=$SECONDS
init_dirs
ICACHE="$APEX_CACHE/images"
mkdir -p "$ICACHE"

BASE_IMAGE=apex-local/base:1
# Packages added to the minbase tree (kept small: no recommends, docs stripped). PostgreSQL has its own image, made
# from the trixie tree of the native server (servers/postgres.sh), where pgvector is packaged.
IMAGE_PKGS=(redis-server redis-tools python3 openjdk-17-jre-headless prometheus prometheus-alertmanager
  ca-certificates procps)

docker info >/dev/null 2>&1 || die "docker daemon not reachable (start dockerd first; .ci/run does)"
ensure_pkgs debootstrap tar

# Inputs of the base image; any change produces a new stamp and a rebuild.
SVR="$PROVISION_DIR/servers"
bash "$SVR/temporal.sh" build
bash "$SVR/neo4j.sh" build
bash "$SVR/s3.sh" build
bash "$SVR/postgres.sh" build
TEMPORAL_BIN="$APEX_CACHE/temporal/$TEMPORAL_CLI_VERSION/temporal"
NEO4J_CACHE="$APEX_CACHE/neo4j/$NEO4J_VERSION"
APOC_DIR="$NEO4J_CACHE/apoc-$APOC_VERSION"
PG_TREE=$(postgres_tree)
S3_VENV="$APEX_CACHE/s3-venv/localstack-$LOCALSTACK_VERSION"
# What the Neo4j class data sharing archive is trained on: a start plus apex's own schema statements.
NEO4J_TRAINING="$REPO_ROOT/templates/migrations/neo4j"
stamp=$(
  {
    echo "v2 ${IMAGE_PKGS[*]} $TEMPORAL_CLI_VERSION $NEO4J_VERSION $APOC_VERSION $LOCALSTACK_VERSION"
    cat "$IMAGES_DIR/entrypoints/neo4j.sh" "$IMAGES_DIR/entrypoints/s3.sh" "$REPO_ROOT/test/qdrant-standin/qdrant_standin.py" "$NEO4J_TRAINING/"* \
      "$NEO4J_CACHE/launcher/.stamp" "$APOC_DIR/.complete" "$S3_VENV/.complete" "$IMAGES_DIR/build-images.sh"
  } | sha256sum | cut -c1-16
)

have_current_base() {
  [ "$(docker image inspect -f '{{index .Config.Labels "apex.stamp"}}' "$BASE_IMAGE" 2>/dev/null)" = "$stamp" ]
}

trap rootfs_cleanup EXIT

# minbase + packages: cached as a tarball keyed by the package list and mirror.
build_pkgtree() {
  local key dir
  key=$(echo "v3 ${IMAGE_PKGS[*]} $(apt_mirror)" | sha256sum | cut -c1-12)
  PKG_TAR="$ICACHE/bookworm-pkgs-$key.tar"
  [ -s "$PKG_TAR" ] && return 0
  dir=$(mktemp -d "$ICACHE/pkgtree.XXXXXX"); ROOTFS_TMPDIRS+=("$dir")
  rootfs_install bookworm "$dir" "${IMAGE_PKGS[@]}"
  ROOTFS_TMPDIRS+=("$PKG_TAR.tmp")
  tar --numeric-owner -C "$dir" -cf "$PKG_TAR.tmp" . && mv -f "$PKG_TAR.tmp" "$PKG_TAR"
  rm -rf "$dir"
}

# Class data sharing for the Neo4j launcher: one training run in the tree (a throwaway database, bolt on a free
# loopback port) records the ~12k classes a start and apex's schema statements load; the entrypoint maps them.
record_neo4j_class_archive() {
  local dir=$1 train=/tmp/apex-neo4j-training
  log "recording the Neo4j class data sharing archive (training run)"
  mkdir -p "$dir$train"
  cat "$NEO4J_TRAINING/"*.cypher >"$dir$train/train.cypher"
  rootfs_mount_proc "$dir"
  if ! chroot "$dir" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 NEO4J_AUTH=neo4j/apex-training \
      java -Xms512m -Xmx512m -XX:+UseG1GC -XX:ArchiveClassesAtExit=/opt/neo4j/apex-neo4j.jsa -Xlog:cds=error \
      -jar /opt/neo4j/launcher/apex-neo4j-launcher.jar --home "$train" --bolt 127.0.0.1:0 --train "$train/train.cypher" \
      </dev/null >"$APEX_LOGS/image-neo4j-cds.log" 2>&1 || [ ! -s "$dir/opt/neo4j/apex-neo4j.jsa" ]; then
    rootfs_umount_all; show_log_tail "$APEX_LOGS/image-neo4j-cds.log"; die "the Neo4j training run failed"
  fi
  rootfs_umount_all
  rm -rf "$dir$train" "$dir/tmp/hsperfdata_root"
}

build_base() {
  if have_current_base; then log "$BASE_IMAGE is current (stamp $stamp)"; return 0; fi
  build_pkgtree
  local dir
  dir=$(mktemp -d "$ICACHE/rootfs.XXXXXX"); ROOTFS_TMPDIRS+=("$dir")
  log "assembling rootfs"
  tar --numeric-owner -C "$dir" -xf "$PKG_TAR"
  install -m 755 "$TEMPORAL_BIN" "$dir/usr/local/bin/temporal"
  mkdir -p "$dir/opt/neo4j" "$dir/opt/qdrant-standin" "$dir/opt/localstack" "$dir/data" \
    "$dir/qdrant/storage" "$dir/var/lib/localstack" "$dir/var/lib/neo4j" "$dir/logs" \
    "$dir/prometheus" "$dir/alertmanager" "$dir/etc/prometheus" "$dir/etc/alertmanager" "$dir/usr/lib/localstack"
  cp -a "$NEO4J_CACHE/lib" "$NEO4J_CACHE/launcher" "$dir/opt/neo4j/"
  # Where the official image keeps the plugins NEO4J_PLUGINS can name (its entrypoint copies them into /plugins).
  mkdir -p "$dir/opt/neo4j/labs/apoc"
  cp -a "$APOC_DIR/"*.jar "$dir/opt/neo4j/labs/apoc/"
  install -m 755 "$REPO_ROOT/test/qdrant-standin/qdrant_standin.py" "$dir/opt/qdrant-standin/qdrant_standin.py"
  # The venv only points at /usr/bin/python3 (same Debian python3.11 in the tree); run it with -m.
  cp -a "$S3_VENV" "$dir/opt/localstack/venv"
  # (its __pycache__ is kept: it holds exactly the modules an S3-only start imports)
  # LocalStack's service catalog index, built at image build time as its own image does; without it every start
  # with an empty volume spends seconds building it.
  chroot "$dir" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/root OVERRIDE_IN_DOCKER=1 \
    /opt/localstack/venv/bin/python -m localstack.aws.spec >"$APEX_LOGS/image-s3-catalog.log" 2>&1 \
    || { show_log_tail "$APEX_LOGS/image-s3-catalog.log"; die "building LocalStack's service catalog failed"; }
  rm -rf "$dir/tmp/localstack" "$dir/var/lib/localstack/"* "$dir/root/.cache"
  record_neo4j_class_archive "$dir"
  local e
  for e in neo4j s3; do
    install -m 755 "$IMAGES_DIR/entrypoints/$e.sh" "$dir/usr/local/bin/apex-entrypoint-$e"
  done
  ln -sf /usr/bin/prometheus-alertmanager "$dir/usr/local/bin/alertmanager"
  # Like prom/alertmanager, ship a default config where the official image has it.
  [ -f "$dir/etc/prometheus/alertmanager.yml" ] && cp "$dir/etc/prometheus/alertmanager.yml" "$dir/etc/alertmanager/alertmanager.yml"
  log "docker import -> $BASE_IMAGE"
  tar --numeric-owner -C "$dir" -c . | docker import \
    --change "LABEL apex.stamp=$stamp" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$dir"
}

# derive NAME:TAG [FROM] <<'DOCKERFILE-LINES' (FROM, by default the base image, is added; no RUN allowed)
derive() {
  local ref=$1 from=${2:-$BASE_IMAGE} ctx
  ctx=$(mktemp -d)
  { echo "FROM $from"; cat; echo "LABEL apex.base.stamp=$(docker image inspect -f '{{index .Config.Labels "apex.stamp"}}' "$from")"; } >"$ctx/Dockerfile"
  if grep -qE '^\s*RUN' "$ctx/Dockerfile"; then die "derived Dockerfiles must not RUN"; fi
  # (the legacy builder's deprecation notice goes to the log, not the console)
  docker build -q -t "$ref" "$ctx" >"$APEX_LOGS/image-build.log" 2>&1 \
    || { cat "$ctx/Dockerfile" "$APEX_LOGS/image-build.log" >&2; die "docker build $ref failed"; }
  rm -rf "$ctx"
  log "  $ref"
}

# The root of apex-local/postgres: the native server's trixie tree (PostgreSQL 17 and pgvector, see
# servers/postgres.sh) with the postgres entrypoint, without the state a running native server has mounted into it.
POSTGRES_ROOT_IMAGE=apex-local/postgres-root:1
build_postgres_root() {
  local pg_stamp
  pg_stamp=$({ echo "v1 $PG_TREE"; cat "$IMAGES_DIR/entrypoints/postgres.sh"; } | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "apex.stamp"}}' "$POSTGRES_ROOT_IMAGE" 2>/dev/null)" = "$pg_stamp" ]; then
    log "$POSTGRES_ROOT_IMAGE is current (stamp $pg_stamp)"; return 0
  fi
  log "docker import $PG_TREE -> $POSTGRES_ROOT_IMAGE"
  tar --numeric-owner -C "$PG_TREE" --exclude="./${APEX_RUN#/}" --exclude=./dev/shm -c . \
    -C "$IMAGES_DIR/entrypoints" --transform='s,^postgres\.sh$,usr/local/bin/apex-entrypoint-postgres,' postgres.sh \
    | docker import --change "LABEL apex.stamp=$pg_stamp" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
      - "$POSTGRES_ROOT_IMAGE" >/dev/null
}

build_base
build_postgres_root
log "deriving per-service images"
derive "apex-local/postgres:$POSTGRES_MAJOR" "$POSTGRES_ROOT_IMAGE" <<EOF
ENV PGDATA=/var/lib/postgresql/data PATH=/usr/lib/postgresql/$POSTGRES_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/apex-entrypoint-postgres"]
CMD ["postgres"]
EOF
derive apex-local/redis:7 <<'EOF'
WORKDIR /data
VOLUME /data
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no"]
EOF
derive "apex-local/temporal:$TEMPORAL_CLI_VERSION" <<'EOF'
WORKDIR /data
EXPOSE 7233 8233 9000
ENTRYPOINT ["temporal"]
CMD ["server", "start-dev", "--ip", "0.0.0.0", "--ui-ip", "0.0.0.0"]
EOF
derive apex-local/neo4j:5 <<'EOF'
WORKDIR /var/lib/neo4j
VOLUME /data
EXPOSE 7474 7687
ENTRYPOINT ["/usr/local/bin/apex-entrypoint-neo4j"]
CMD ["neo4j"]
EOF
derive apex-local/qdrant-standin:1.15.1 <<'EOF'
WORKDIR /qdrant
ENV QDRANT__SERVICE__HOST=0.0.0.0 QDRANT__SERVICE__HTTP_PORT=6333 QDRANT__STORAGE__STORAGE_PATH=/qdrant/storage
VOLUME /qdrant/storage
EXPOSE 6333
ENTRYPOINT ["python3", "/opt/qdrant-standin/qdrant_standin.py"]
EOF
derive apex-local/s3:1 <<'EOF'
WORKDIR /opt/localstack
VOLUME /var/lib/localstack
EXPOSE 4566
ENTRYPOINT ["/usr/local/bin/apex-entrypoint-s3"]
EOF
derive apex-local/prometheus:1 <<'EOF'
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
derive apex-local/alertmanager:1 <<'EOF'
WORKDIR /alertmanager
EXPOSE 9093
ENTRYPOINT ["/usr/bin/prometheus-alertmanager"]
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
EOF

cat >"$IMAGES_DIR/images.override.yaml" <<EOF
# Generated by test/images/build-images.sh: apex config fragment that swaps the
# official images for the locally built ones (no registry needed).
services:
  postgres: { image: apex-local/postgres:$POSTGRES_MAJOR }
  redis: { image: apex-local/redis:7 }
  temporal: { image: apex-local/temporal:$TEMPORAL_CLI_VERSION }
  neo4j: { image: apex-local/neo4j:5 }
  qdrant: { image: apex-local/qdrant-standin:1.15.1 }
  s3: { image: apex-local/s3:1 }
  prometheus: { image: apex-local/prometheus:1 }
  alertmanager: { image: apex-local/alertmanager:1 }
EOF
# Drop superseded (now untagged) apex-local images only.
docker image prune -f --filter label=apex.stamp >/dev/null 2>&1 || true
log "images ready in $((SECONDS - T0))s:"
docker images --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^  apex-local/' >&2 || true
