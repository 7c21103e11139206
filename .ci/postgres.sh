#!/usr/bin/env bash
# Install PostgreSQL + PostGIS from Debian packages (if missing), start a local server,
# create database/user "flashpoint" and print the URL. Use:
#   export FLASHPOINT_TEST_PG=$(.ci/postgres.sh | tail -1)
# Runs as root (CI container). Idempotent.
set -euo pipefail
PGUSER_NAME=${PGUSER_NAME:-flashpoint}
PGPASS=${PGPASS:-flashpoint}
PGDB=${PGDB:-flashpoint_test}
PGPORT=${PGPORT:-5432}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql postgis >&2
fi
VER=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$VER main$"; then
  pg_createcluster "$VER" main --port "$PGPORT" >&2
fi
if ! pg_lsclusters -h | grep -q "^$VER *main .*online"; then
  pg_ctlcluster "$VER" main start >&2
fi
for i in $(seq 1 30); do
  su postgres -c "pg_isready -q -p $PGPORT" && break
  sleep 1
done
su postgres -c "psql -p $PGPORT -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$PGUSER_NAME'\"" | grep -q 1 \
  || su postgres -c "psql -p $PGPORT -qc \"CREATE ROLE $PGUSER_NAME LOGIN SUPERUSER PASSWORD '$PGPASS'\"" >&2
su postgres -c "psql -p $PGPORT -qtAc \"SELECT 1 FROM pg_database WHERE datname='$PGDB'\"" | grep -q 1 \
  || su postgres -c "createdb -p $PGPORT -O $PGUSER_NAME $PGDB" >&2
su postgres -c "psql -p $PGPORT -d $PGDB -qc 'CREATE EXTENSION IF NOT EXISTS postgis'" >&2 || echo "PostGIS not available: plain lat/lon" >&2
echo "postgresql://$PGUSER_NAME:$PGPASS@localhost:$PGPORT/$PGDB"
