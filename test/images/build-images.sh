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
LOG_TAG=images

[ "$(id -u)" = 0 ] || die "run as root (debootstrap/chroot)"
T0=$SECONDS
init_dirs
ICACHE="$APEX_CACHE/images"
mkdir -p "$ICACHE"

BASE_IMAGE=apex-local/base:1
# Packages added to the minbase tree (kept small: no recommends, docs stripped).
IMAGE_PKGS=(postgresql-15 postgresql-client-15 redis-server redis-tools python3 openjdk-17-jre-headless
  prometheus prometheus-alertmanager ca-certificates procps)

docker info >/dev/null 2>&1 || die "docker daemon not reachable (start dockerd first; .ci/run does)"
ensure_pkgs debootstrap tar

# Inputs of the base image; any change produces a new stamp and a rebuild.
SVR="$PROVISION_DIR/servers"
bash "$SVR/temporal.sh" build
bash "$SVR/neo4j.sh" build
bash "$SVR/s3.sh" build
TEMPORAL_BIN="$APEX_CACHE/temporal/$TEMPORAL_CLI_VERSION/temporal"
NEO4J_CACHE="$APEX_CACHE/neo4j/$NEO4J_VERSION"
S3_VENV="$APEX_CACHE/s3-venv/localstack-$LOCALSTACK_VERSION"
# What the Neo4j class data sharing archive is trained on: a start plus apex's own schema statements.
NEO4J_TRAINING="$REPO_ROOT/templates/migrations/neo4j"
stamp=$(
  {
    echo "v1 ${IMAGE_PKGS[*]} $TEMPORAL_CLI_VERSION $NEO4J_VERSION $LOCALSTACK_VERSION"
    cat "$IMAGES_DIR/entrypoints/"* "$REPO_ROOT/test/qdrant-standin/qdrant_standin.py" "$NEO4J_TRAINING/"* \
      "$NEO4J_CACHE/launcher/.stamp" "$S3_VENV/.complete" "$IMAGES_DIR/build-images.sh"
  } | sha256sum | cut -c1-16
)

have_current_base() {
  [ "$(docker image inspect -f '{{index .Config.Labels "apex.stamp"}}' "$BASE_IMAGE" 2>/dev/null)" = "$stamp" ]
}

MNT=()
TMPDIRS=()
cleanup_mounts() {
  local m
  for m in "${MNT[@]}"; do umount -l "$m" 2>/dev/null || true; done
  MNT=()
}
cleanup() {
  cleanup_mounts
  local d
  for d in "${TMPDIRS[@]}"; do [ -n "$d" ] && rm -rf "$d"; done
  rm -f "$ICACHE"/*.tar.tmp
}
trap cleanup EXIT

build_minbase() {
  local tar="$ICACHE/bookworm-minbase.tar"
  [ -s "$tar" ] && return 0
  local mirror dir
  mirror=$(apt_mirror)
  dir=$(mktemp -d "$ICACHE/debootstrap.XXXXXX"); TMPDIRS+=("$dir")
  log "debootstrap --variant=minbase bookworm ($mirror)"
  debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$APEX_LOGS/debootstrap.log" 2>&1 \
    || { show_log_tail "$APEX_LOGS/debootstrap.log"; rm -rf "$dir"; die "debootstrap failed"; }
  tar --numeric-owner -C "$dir" -cf "$tar.tmp" . && mv -f "$tar.tmp" "$tar"
  rm -rf "$dir"
}

# minbase + packages: cached as a tarball keyed by the package list and mirror.
build_pkgtree() {
  local key tar dir mirror
  mirror=$(apt_mirror)
  key=$(echo "v2 ${IMAGE_PKGS[*]} $mirror" | sha256sum | cut -c1-12)
  PKG_TAR="$ICACHE/bookworm-pkgs-$key.tar"
  [ -s "$PKG_TAR" ] && return 0
  build_minbase
  dir=$(mktemp -d "$ICACHE/pkgtree.XXXXXX"); TMPDIRS+=("$dir")
  log "chroot apt-get install ${IMAGE_PKGS[*]}"
  tar --numeric-owner -C "$dir" -xf "$ICACHE/bookworm-minbase.tar"
  # Sources: the same mirror(s) as this machine.
  local sec
  sec=$(awk '/^URIs:/ && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  {
    echo "deb $mirror bookworm main"
    echo "deb $mirror bookworm-updates main"
    [ -n "$sec" ] && echo "deb $sec bookworm-security main"
  } >"$dir/etc/apt/sources.list"
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"; chmod +x "$dir/usr/sbin/policy-rc.d"
  # No docs/man/locales in the image.
  mkdir -p "$dir/etc/dpkg/dpkg.cfg.d"
  cat >"$dir/etc/dpkg/dpkg.cfg.d/01-apex-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/javascript/moment-timezone/data/*
EOF
  mount -t proc proc "$dir/proc"; MNT+=("$dir/proc")
  mount --bind /dev/pts "$dir/dev/pts"; MNT+=("$dir/dev/pts")
  # openjdk's postinst wants the man dirs to exist
  mkdir -p "$dir"/usr/share/man/man1
  if ! chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${IMAGE_PKGS[*]} && apt-get clean" \
      </dev/null >"$APEX_LOGS/image-apt.log" 2>&1; then
    cleanup_mounts; show_log_tail "$APEX_LOGS/image-apt.log"; rm -rf "$dir"; die "chroot apt-get install failed"
  fi
  cleanup_mounts
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/log/apt/* "$dir"/var/log/dpkg.log \
    "$dir"/usr/sbin/policy-rc.d "$dir"/usr/share/doc/*/changelog* "$dir"/root/.cache
  : >"$dir/etc/resolv.conf"
  # Distro cluster/config created by postinst is not wanted in the image.
  rm -rf "$dir"/var/lib/postgresql/15 "$dir"/etc/postgresql/15
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
  mount -t proc proc "$dir/proc"; MNT+=("$dir/proc")
  if ! chroot "$dir" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 NEO4J_AUTH=neo4j/apex-training \
      java -Xms512m -Xmx512m -XX:+UseG1GC -XX:ArchiveClassesAtExit=/opt/neo4j/apex-neo4j.jsa -Xlog:cds=error \
      -jar /opt/neo4j/launcher/apex-neo4j-launcher.jar --home "$train" --bolt 127.0.0.1:0 --train "$train/train.cypher" \
      </dev/null >"$APEX_LOGS/image-neo4j-cds.log" 2>&1 || [ ! -s "$dir/opt/neo4j/apex-neo4j.jsa" ]; then
    cleanup_mounts; show_log_tail "$APEX_LOGS/image-neo4j-cds.log"; die "the Neo4j training run failed"
  fi
  cleanup_mounts
  rm -rf "$dir$train" "$dir/tmp/hsperfdata_root"
}

build_base() {
  if have_current_base; then log "$BASE_IMAGE is current (stamp $stamp)"; return 0; fi
  build_pkgtree
  local dir
  dir=$(mktemp -d "$ICACHE/rootfs.XXXXXX"); TMPDIRS+=("$dir")
  log "assembling rootfs"
  tar --numeric-owner -C "$dir" -xf "$PKG_TAR"
  install -m 755 "$TEMPORAL_BIN" "$dir/usr/local/bin/temporal"
  mkdir -p "$dir/opt/neo4j" "$dir/opt/qdrant-standin" "$dir/opt/localstack" "$dir/data" \
    "$dir/qdrant/storage" "$dir/var/lib/localstack" "$dir/var/lib/neo4j" "$dir/logs" \
    "$dir/prometheus" "$dir/alertmanager" "$dir/etc/prometheus" "$dir/etc/alertmanager" "$dir/usr/lib/localstack"
  cp -a "$NEO4J_CACHE/lib" "$NEO4J_CACHE/launcher" "$dir/opt/neo4j/"
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
  for e in "$IMAGES_DIR/entrypoints/"*.sh; do
    install -m 755 "$e" "$dir/usr/local/bin/apex-entrypoint-$(basename "$e" .sh)"
  done
  ln -sf /usr/bin/prometheus-alertmanager "$dir/usr/local/bin/alertmanager"
  # Like prom/alertmanager, ship a default config where the official image has it.
  [ -f "$dir/etc/prometheus/alertmanager.yml" ] && cp "$dir/etc/prometheus/alertmanager.yml" "$dir/etc/alertmanager/alertmanager.yml"
  chroot "$dir" chown postgres:postgres /var/lib/postgresql   # uids inside the tree, not the host's
  log "docker import -> $BASE_IMAGE"
  tar --numeric-owner -C "$dir" -c . | docker import \
    --change "LABEL apex.stamp=$stamp" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$dir"
}

# derive NAME:TAG <<'DOCKERFILE-LINES' (FROM is added; no RUN allowed)
derive() {
  local ref=$1 ctx
  ctx=$(mktemp -d)
  { echo "FROM $BASE_IMAGE"; cat; echo "LABEL apex.base.stamp=$stamp"; } >"$ctx/Dockerfile"
  if grep -qE '^\s*RUN' "$ctx/Dockerfile"; then die "derived Dockerfiles must not RUN"; fi
  # (the legacy builder's deprecation notice goes to the log, not the console)
  docker build -q -t "$ref" "$ctx" >"$APEX_LOGS/image-build.log" 2>&1 \
    || { cat "$ctx/Dockerfile" "$APEX_LOGS/image-build.log" >&2; die "docker build $ref failed"; }
  rm -rf "$ctx"
  log "  $ref"
}

build_base
log "deriving per-service images"
derive apex-local/postgres:15 <<'EOF'
ENV PGDATA=/var/lib/postgresql/data PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
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
  postgres: { image: apex-local/postgres:15 }
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
