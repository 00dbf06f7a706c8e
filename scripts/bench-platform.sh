#!/usr/bin/env bash
# Platform benchmark, ratios against baselines measured in the same run:
#   - ingest rows/s, Kafka -> H2 through a real platform node (dedupe, one transaction per batch)
#     vs a bare JDBC batch insert of the same rows into the same schema
#   - OTA download MiB/s of the API (bearer auth, ETag, verified file) for 100 concurrent clients
#     vs Javalin serving the same 1 MiB file statically
#   scripts/bench-platform.sh [ROWS] [SECONDS]   (default 100000 rows, 10 s per download round)
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
ensure_jar
WORK=$(mktemp -d /tmp/aiot-bench-platform.XXXX)
trap 'rm -rf "$WORK"' EXIT
echo "== aiot-edge bench platform (${1:-100000} rows, ${2:-10} s download rounds)"
java -Xmx1g -jar "$JAR" bench platform --work-dir "$WORK" --rows "${1:-100000}" --seconds "${2:-10}" 2>"$WORK/bench.log" \
  || { tail -30 "$WORK/bench.log"; exit 1; }
