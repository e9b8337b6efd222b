# shellcheck shell=bash
# Throwaway PostgreSQL 15 + PostGIS cluster for tests and benchmarks (sourced, not run).
# Needs root: installs Debian packages and runs the server as the postgres user via runuser.

PGBIN=/usr/lib/postgresql/15/bin
PGPORT=${PGPORT:-55432}

ensure_packages() {
  export DEBIAN_FRONTEND=noninteractive
  local need=() p
  for p in postgresql-15 postgresql-15-postgis-3 gdal-bin libgomp1; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then echo "missing Debian packages: ${need[*]} (run as root, or install them)" >&2; return 1; fi
    echo "installing ${need[*]} ..." >&2
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  fi
}

pg_start() {
  PG_TMP=$(mktemp -d /tmp/georeadiness-pg.XXXXXX)
  chown postgres:postgres "$PG_TMP"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || { cat "$PG_TMP/server.log" >&2; return 1; }
  # template_postgis: every test database is created from it, with PostGIS already installed.
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt \
    -c "CREATE DATABASE template_postgis" -c '\c template_postgis' -c "CREATE EXTENSION postgis" \
    -c '\c postgres' -c "UPDATE pg_database SET datistemplate = true WHERE datname = 'template_postgis'" \
    -c "CREATE DATABASE gis TEMPLATE template_postgis" >/dev/null
  export PG_CONN="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=gis"
  echo "PostGIS $("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d gis -qAt -c 'SELECT postgis_lib_version()') on port $PGPORT" >&2
}

pg_stop() {
  [ -n "${PG_TMP:-}" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
