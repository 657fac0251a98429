#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on $PGHOST:$PGPORT and that the project's databases
# exist. Uses a running server as it is; starts Debian's cluster when it is installed but
# stopped; installs Debian's package when there is none at all (root only).
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
databases=(case_status case_status_test)

ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "postgres: not installed, installing Debian's postgresql package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "postgres: no PostgreSQL client or server found; install PostgreSQL or set PGHOST/PGPORT" >&2
    exit 1
  fi
fi

if ! ready; then
  if command -v pg_lsclusters >/dev/null 2>&1; then
    # Start every installed cluster that is down (normally just one, "main").
    pg_lsclusters --no-header | while read -r version cluster port status _; do
      if [ "$status" != online ]; then
        echo "postgres: starting cluster $version/$cluster on port $port"
        pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
      fi
    done
  fi
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
fi
if ! ready; then
  echo "postgres: nothing answers on $PGHOST:$PGPORT" >&2
  exit 1
fi

# Trust auth is what these machines have; elsewhere set PGUSER/PGPASSWORD.
for db in "${databases[@]}"; do
  if [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql -d postgres -qc "CREATE DATABASE $db"
    echo "postgres: created database $db"
  fi
done
echo "postgres: ready on $PGHOST:$PGPORT (databases: ${databases[*]})"
