#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with a role `equally`
# (password `equally`) owning a database `equally_test`, for the server's
# PostgreSQL tests. Installs and starts Debian's postgresql when nothing answers.
# Prints only: export EQUALLY_TEST_DATABASE_URL=postgres://equally:equally@127.0.0.1:5432/equally_test
#
# The cluster is Debian's (pg_createcluster/pg_ctlcluster, no systemd needed);
# Debian's default listen_addresses is 'localhost', so it listens on loopback
# only. The role also gets CREATEDB so tests may make throwaway databases.
set -euo pipefail
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

HOST=127.0.0.1 PORT=5432 ROLE=equally PASSWORD=equally DB=equally_test
URL="postgres://$ROLE:$PASSWORD@$HOST:$PORT/$DB"

can_connect() {
    command -v psql >/dev/null &&
        PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 psql -h "$HOST" -p "$PORT" -U "$ROLE" -d "$DB" \
            -X -q -tA -c 'select 1' </dev/null >/dev/null 2>&1
}

done_ok() {
    log "PostgreSQL on $HOST:$PORT: role $ROLE can use $DB"
    printf 'export EQUALLY_TEST_DATABASE_URL=%q\n' "$URL"
    exit 0
}

can_connect && done_ok

[ "$(id -u)" -eq 0 ] || exec sudo -n -E "$0" "$@"

if ! pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; then
    log "no PostgreSQL answers on $HOST:$PORT"
    command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 \
        || apt_install postgresql
    # Newest installed server version; its cluster on our port, or a new `main`.
    version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
    cluster="$(pg_lsclusters -h | awk -v v="$version" -v p="$PORT" '$1 == v && $3 == p && !found { print $2; found = 1 }')"
    if [ -z "$cluster" ]; then
        cluster=main
        log "creating cluster $version/$cluster on port $PORT, listening on localhost"
        pg_createcluster "$version" "$cluster" --port "$PORT" -o listen_addresses=localhost >&2
    fi
    if pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1; then
        die "cluster $version/$cluster runs but does not answer on $HOST:$PORT (listen_addresses in /etc/postgresql/$version/$cluster/postgresql.conf?)"
    fi
    log "starting cluster $version/$cluster"
    pg_ctlcluster "$version" "$cluster" start >&2
    for _ in $(seq 1 30); do
        pg_isready -q -h "$HOST" -p "$PORT" && break
        sleep 1
    done
    pg_isready -q -h "$HOST" -p "$PORT" || die "cluster $version/$cluster did not come up (see /var/log/postgresql)"
fi

# Create the role and database as the local superuser over the Unix socket.
id postgres >/dev/null 2>&1 || die "a server answers on $HOST:$PORT but is not a local Debian one; create role $ROLE / database $DB there yourself"
log "ensuring role $ROLE and database $DB"
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
as_postgres psql -p "$PORT" -X -q -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    ELSE
        ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
SQL
if [ "$(as_postgres psql -p "$PORT" -X -tA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" </dev/null)" != 1 ]; then
    as_postgres createdb -p "$PORT" -O "$ROLE" "$DB" </dev/null
fi

can_connect || die "role $ROLE still cannot connect to $DB on $HOST:$PORT (check pg_hba.conf)"
done_ok
