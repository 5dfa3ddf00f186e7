#!/usr/bin/env bash
# Runs a command against a throwaway local PostgreSQL server:
#   scripts/with-postgres.sh COMMAND [ARGS...]
# initdb into a temporary directory, start the server on a Unix socket in that directory only
# (no TCP port), export LOYALTY_TEST_PG (a libpq connection string), run the command, then stop
# the server and remove the directory. As root the server runs as the `postgres` user (initdb
# and postgres refuse to run as root). Exits 77 (ctest's "skipped") with a visible message
# only when the server binaries are not installed.
#
# For tests that stop and start the server themselves (the crash test's immediate shutdowns)
# it also exports LOYALTY_TEST_PG_CTL (a pg_ctl that runs as the server's user: give it its
# usual arguments), LOYALTY_TEST_PG_DATA (the data directory) and LOYALTY_TEST_PG_LOG (the
# server log): `"$LOYALTY_TEST_PG_CTL" -D "$LOYALTY_TEST_PG_DATA" -m immediate -w stop`, then
# `"$LOYALTY_TEST_PG_CTL" -D "$LOYALTY_TEST_PG_DATA" -l "$LOYALTY_TEST_PG_LOG" -w start`. The
# server's settings are in its postgresql.conf, so a start needs no options.
set -euo pipefail

bindir=""
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bindir="$d"; break; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bindir="$(dirname "$(command -v initdb)")"
fi
if [ -z "$bindir" ]; then
  echo "SKIPPED: PostgreSQL server binaries (initdb, pg_ctl) are not installed; install postgresql-15 (scripts/install-deps.sh does)"
  exit 77
fi

tmp="$(mktemp -d /tmp/loyalty-pg.XXXXXX)"
run_as=()
user="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  chown "$user" "$tmp"
  run_as=(runuser -u "$user" --)
fi

stop() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT

"${run_as[@]}" "$bindir/initdb" -D "$tmp/data" -U "$user" --auth=trust -E UTF8 --locale=C >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log"; exit 1; }
# In postgresql.conf (the file keeps its owner), so that any later start has them too. fsync
# stays on: the suite tests durability, not a RAM disk.
printf "listen_addresses = ''\nunix_socket_directories = '%s'\nmax_connections = 50\n" "$tmp" >>"$tmp/data/postgresql.conf"
cat >"$tmp/pg_ctl" <<EOF
#!/bin/sh
exec ${run_as[*]} "$bindir/pg_ctl" "\$@"
EOF
chmod 755 "$tmp/pg_ctl"
"$tmp/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 start >/dev/null ||
  { cat "$tmp/server.log"; exit 1; }

echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running on socket $tmp"
export LOYALTY_TEST_PG="host=$tmp port=5432 user=$user dbname=postgres"
export LOYALTY_TEST_PG_CTL="$tmp/pg_ctl" LOYALTY_TEST_PG_DATA="$tmp/data" LOYALTY_TEST_PG_LOG="$tmp/server.log"
set +e
"$@"
status=$?
set -e
exit $status
