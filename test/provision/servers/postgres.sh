#!/usr/bin/env bash
# PostgreSQL 15 (Debian) as a dedicated cluster: 127.0.0.1:5432, scram on TCP.
# usage: postgres.sh start|stop|check
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
LOG_TAG=postgres

PGBIN=/usr/lib/postgresql/15/bin
PGROOT="$APEX_RUN/postgres"
PGDATA="$PGROOT/data"
PGSOCK="$PGROOT/run"
PGLOG="$APEX_LOGS/postgres.log"
PGPORT=5432

pg() { runuser -u postgres -- "$@"; }

check() {
  PGPASSWORD="$POSTGRES_PASSWORD" "$PGBIN/psql" -h 127.0.0.1 -p $PGPORT -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
    -XtAc 'select 1' 2>/dev/null | grep -qx 1
}

running() { [ -f "$PGDATA/PG_VERSION" ] && pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

stop_debian_cluster() {
  # The Debian package may have created/started cluster 15/main on 5432; it is not ours.
  command -v pg_lsclusters >/dev/null || return 0
  pg_lsclusters -h 2>/dev/null | while read -r ver name port status _; do
    if [ "$port" = "$PGPORT" ] && [ "${status%%,*}" = online ]; then
      log "stopping Debian cluster $ver/$name on port $port"
      pg_ctlcluster "$ver" "$name" stop </dev/null || true
    fi
  done
}

start() {
  ensure_pkgs postgresql-15 postgresql-client-15
  mkdir -p "$PGROOT" "$PGSOCK"
  chown postgres:postgres "$PGROOT" "$PGSOCK"
  touch "$PGLOG"; chown postgres:postgres "$PGLOG"
  if ! running; then
    stop_debian_cluster
    require_free_port postgres $PGPORT
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      log "initdb $PGDATA (superuser $POSTGRES_USER)"
      rm -rf "$PGDATA"
      install -d -o postgres -g postgres -m 700 "$PGDATA"
      local pwfile="$PGROOT/.pwfile"
      (umask 077; printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"); chown postgres "$pwfile"
      pg "$PGBIN/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" \
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
    log "starting on 127.0.0.1:$PGPORT"
    pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start >/dev/null \
      || { show_log_tail "$PGLOG"; die "pg_ctl start failed"; }
  fi
  # (Re)apply credentials through the local socket (trust) so ci.env always matches.
  printf '%s\n' "ALTER ROLE :\"u\" PASSWORD :'pw';" \
    | pg "$PGBIN/psql" -h "$PGSOCK" -p $PGPORT -U "$POSTGRES_USER" -d postgres -Xq -v ON_ERROR_STOP=1 \
      -v u="$POSTGRES_USER" -v pw="$POSTGRES_PASSWORD" >/dev/null \
    || { show_log_tail "$PGLOG"; die "cannot set the password of $POSTGRES_USER"; }
  if ! pg "$PGBIN/psql" -h "$PGSOCK" -p $PGPORT -U "$POSTGRES_USER" -d postgres -XtAc \
      "select 1 from pg_database where datname = '$POSTGRES_DB'" | grep -qx 1; then
    pg "$PGBIN/createdb" -h "$PGSOCK" -p $PGPORT -U "$POSTGRES_USER" "$POSTGRES_DB"
  fi
  wait_until postgres 30 "$PGLOG" check
  log "ready: postgresql://$POSTGRES_USER:***@127.0.0.1:$PGPORT/$POSTGRES_DB"
}

stop() {
  if running; then
    log "stopping"
    pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null || true
  fi
}

load_credentials
run_action "$@"
