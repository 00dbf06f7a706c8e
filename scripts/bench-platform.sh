#!/usr/bin/env bash
# Platform benchmark, ratios against baselines measured in the same run:
#   - ingest rows/s, Kafka -> H2 (or PostgreSQL with --postgres) through a real platform node (dedupe,
#     one transaction per batch) vs a bare JDBC batch insert of the same rows into the same schema
#   - OTA download MiB/s of the API (bearer auth, ETag, verified file) for 100 concurrent clients
#     vs Javalin serving the same 1 MiB file statically
#   scripts/bench-platform.sh [--postgres] [ROWS] [SECONDS]   (default 100000 rows, 10 s per download round)
# --postgres starts a throwaway Debian PostgreSQL cluster (initdb into a temp dir, as user postgres when
# run as root; a free port on 127.0.0.1; scram password; fsync on, as a real server) and removes it after.
# AIOT_BENCH_PG_PARAMS="?reWriteBatchedInserts=false" shows what the pgjdbc switch is worth.
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
PG=0
if [ "${1:-}" = "--postgres" ]; then PG=1; shift; fi
ensure_jar
WORK=$(mktemp -d /tmp/aiot-bench-platform.XXXX)
PGDIR=""
cleanup() {
  if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null || true
  fi
  [ -n "$PGDIR" ] && rm -rf "$PGDIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
DB_ARGS=()
if [ $PG = 1 ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL server binaries (apt-get install postgresql)"; exit 1; }
  PGDIR=$(mktemp -d /tmp/aiot-bench-pg.XXXX)
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$PGDIR/pw"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$PGDIR"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U aiot --auth=scram-sha-256 --pwfile="$PGDIR/pw" -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  PORT=$(free_port)
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/pg.log" -w \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null
  PGPASSWORD=$(cat "$PGDIR/pw") "$PGBIN/psql" -q -h 127.0.0.1 -p "$PORT" -U aiot -d postgres -c 'create database aiot'
  DB_ARGS=(--jdbc-url "jdbc:postgresql://127.0.0.1:$PORT/aiot${AIOT_BENCH_PG_PARAMS:-}" --db-user aiot --db-password-file "$PGDIR/pw")
  echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (throwaway cluster)"
fi
echo "== aiot-edge bench platform (${1:-100000} rows, ${2:-10} s download rounds)"
java -Xmx1g -jar "$JAR" bench platform --work-dir "$WORK" --rows "${1:-100000}" --seconds "${2:-10}" "${DB_ARGS[@]}" \
  2>"$WORK/bench.log" || { tail -30 "$WORK/bench.log"; exit 1; }
