#!/usr/bin/env bash
# PostgreSQL 17 with pgvector as a dedicated cluster: 127.0.0.1:5432, scram on TCP.
# Debian trixie's postgresql-17 and postgresql-17-pgvector (bookworm has no pgvector) in a cached trixie tree; the
# server runs in it by chroot, with its state directory (same path inside) and /dev/shm bind-mounted while it runs.
# test/images/build-images.sh makes apex-local/postgres from the same tree.
# usage: postgres.sh build|start|stop|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$PROVISION_DIR/rootfs.sh"
LOG_TAG=postgres
trap rootfs_cleanup EXIT

PG_TREE=$(postgres_tree)
PGBIN=/usr/lib/postgresql/$POSTGRES_MAJOR/bin
PGROOT="$APEX_RUN/postgres"
PGDATA="$PGROOT/data"
PGSOCK="$PGROOT/run"
PGLOG="$PGROOT/postgres.log"
PGPORT=5432

build() {
  [ -f "$PG_TREE.complete" ] && return 0
  mkdir -p "$APEX_CACHE/postgres"
  local dir
  dir=$(mktemp -d "$APEX_CACHE/postgres/tree.XXXXXX"); ROOTFS_TMPDIRS+=("$dir")
  rootfs_install trixie "$dir" "${POSTGRES_PKGS[@]}"
  # The cluster Debian's maintainer script creates is not used: apex initialises its own.
  rm -rf "$dir/var/lib/postgresql/$POSTGRES_MAJOR" "$dir/etc/postgresql/$POSTGRES_MAJOR"
  chroot "$dir" chown postgres:postgres /var/lib/postgresql
  rm -rf "$PG_TREE" "$PG_TREE.complete"
  mv "$dir" "$PG_TREE"
  touch "$PG_TREE.complete"
  log "PostgreSQL $POSTGRES_MAJOR with pgvector ready in $PG_TREE"
}

# The tree's postgres user (its ids differ from the host's).
pg_ids() { awk -F: '$1 == "postgres" {print $3 ":" $4}' "$PG_TREE/etc/passwd"; }
# in_tree [--userspec=U:G] CMD...: CMD in the tree with a clean environment.
in_tree() {
  local user=()
  if [[ "${1:-}" == --userspec=* ]]; then user=("$1"); shift; fi
  chroot "${user[@]}" "$PG_TREE" /usr/bin/env -i PATH="$PGBIN:/usr/bin:/bin" LANG=C.UTF-8 HOME=/var/lib/postgresql "$@"
}
pg() { in_tree --userspec="$(pg_ids)" "$@"; }

check() {
  in_tree PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -p $PGPORT -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
    -XtAc 'select 1' 2>/dev/null | grep -qx 1
}

mount_state() {
  local target
  for target in "$PGROOT" /dev/shm; do
    if mountpoint -q "$PG_TREE$target"; then
      # A bind of a directory deleted and made again since (a wiped state directory) shows the old, empty one.
      [ "$(stat -c %d:%i "$target")" = "$(stat -c %d:%i "$PG_TREE$target")" ] && continue
      umount "$PG_TREE$target"
    fi
    mkdir -p "$PG_TREE$target"
    mount --bind "$target" "$PG_TREE$target"
  done
}

umount_state() {
  local target
  for target in "$PGROOT" /dev/shm; do
    if mountpoint -q "$PG_TREE$target"; then umount "$PG_TREE$target"; fi
  done
}

running() { [ -f "$PGDATA/PG_VERSION" ] && pg pg_ctl -D "$PGDATA" status >/dev/null 2>&1; }

stop_debian_cluster() {
  # A Debian PostgreSQL package on the host may have created/started a cluster on 5432; it is not ours.
  command -v pg_lsclusters >/dev/null || return 0
  pg_lsclusters -h 2>/dev/null | while read -r ver name port status _; do
    if [ "$port" = "$PGPORT" ] && [ "${status%%,*}" = online ]; then
      log "stopping Debian cluster $ver/$name on port $port"
      pg_ctlcluster "$ver" "$name" stop </dev/null || true
    fi
  done
}

# A cluster of another major version (PostgreSQL 15 from the host, before pgvector) is stopped and replaced:
# these are test servers, their data is not kept.
retire_other_version() {
  local version pid i
  version=$(cat "$PGDATA/PG_VERSION" 2>/dev/null) || return 0
  [ "$version" = "$POSTGRES_MAJOR" ] && return 0
  log "replacing the PostgreSQL $version cluster in $PGDATA by a new PostgreSQL $POSTGRES_MAJOR one (its data is not kept)"
  pid=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid"
    for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && die "PostgreSQL $version (pid $pid) did not stop"
  fi
  rm -rf "$PGDATA"
}

start() {
  build
  retire_other_version
  local ids
  ids=$(pg_ids)
  mkdir -p "$PGROOT" "$PGSOCK"
  touch "$PGLOG"
  chown "$ids" "$PGROOT" "$PGSOCK" "$PGLOG"
  ln -sfn "$PGLOG" "$APEX_LOGS/postgres.log"
  mount_state
  if ! running; then
    stop_debian_cluster
    require_free_port postgres $PGPORT
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      log "initdb $PGDATA (PostgreSQL $POSTGRES_MAJOR, superuser $POSTGRES_USER)"
      rm -rf "$PGDATA"
      install -d -o "${ids%:*}" -g "${ids#*:}" -m 700 "$PGDATA"
      local pwfile="$PGROOT/.pwfile"
      (umask 077; printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"); chown "$ids" "$pwfile"
      pg initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >>"$PGLOG" 2>&1 \
        || { rm -f "$pwfile"; show_log_tail "$PGLOG"; die "initdb failed"; }
      rm -f "$pwfile"
      cat >>"$PGDATA/postgresql.conf" <<CONF

# --- apex native test server ---
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGSOCK'
password_encryption = 'scram-sha-256'
max_connections = 200
CONF
    fi
    log "starting PostgreSQL $POSTGRES_MAJOR on 127.0.0.1:$PGPORT"
    pg pg_ctl -D "$PGDATA" -l "$PGLOG" -w -t 60 start >/dev/null \
      || { show_log_tail "$PGLOG"; die "pg_ctl start failed"; }
  fi
  # (Re)apply credentials through the local socket (trust) so ci.env always matches.
  printf '%s\n' "ALTER ROLE :\"u\" PASSWORD :'pw';" \
    | pg psql -h "$PGSOCK" -p $PGPORT -U "$POSTGRES_USER" -d postgres -Xq -v ON_ERROR_STOP=1 \
      -v u="$POSTGRES_USER" -v pw="$POSTGRES_PASSWORD" >/dev/null \
    || { show_log_tail "$PGLOG"; die "cannot set the password of $POSTGRES_USER"; }
  if ! pg psql -h "$PGSOCK" -p $PGPORT -U "$POSTGRES_USER" -d postgres -XtAc \
      "select 1 from pg_database where datname = '$POSTGRES_DB'" | grep -qx 1; then
    pg createdb -h "$PGSOCK" -p $PGPORT -U "$POSTGRES_USER" "$POSTGRES_DB"
  fi
  wait_until postgres 30 "$PGLOG" check
  log "ready: postgresql://$POSTGRES_USER:***@127.0.0.1:$PGPORT/$POSTGRES_DB (pgvector available)"
}

stop() {
  mountpoint -q "$PG_TREE$PGROOT" || return 0
  if running; then
    log "stopping"
    pg pg_ctl -D "$PGDATA" -m fast -w -t 60 stop >/dev/null || true
  fi
  umount_state
}

load_credentials
run_action "$@"
