#!/usr/bin/env bash
# Bridge benchmark, all in one JVM: MQTT 5 QoS 1 publishers -> broker -> bridge -> embedded Kafka
# -> a Kafka consumer that checks every acknowledged publish arrived and measures end-to-end
# latency; in the same run the bare kafka-clients producer as baseline, then a Kafka outage:
# publishes go to the spool, Kafka returns, and the replay rate is measured.
#   scripts/bench-bridge.sh [SECONDS] [PUBLISHERS]   (default 20 s per scenario, 64 publishers; ~3 min)
# AIOT_BENCH_SET="k=v k=v" adds config overrides to the node (for comparing settings).
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
SECS="${1:-20}"
PUBS="${2:-64}"
ensure_jar
WORK=$(mktemp -d /tmp/aiot-bench-bridge.XXXX)
trap 'rm -rf "$WORK"' EXIT
EXTRA=()
for kv in ${AIOT_BENCH_SET:-}; do EXTRA+=(--set "$kv"); done
echo "== aiot-edge bench bridge: $PUBS publishers, ${SECS}s per scenario, 256-byte payloads (progress on stderr)"
java -Xmx2g -jar "$JAR" bench bridge --work-dir "$WORK" --seconds "$SECS" --publishers "$PUBS" \
  --replay-records 200000 "${EXTRA[@]}" 2>"$WORK/bench.log"
