#!/usr/bin/env bash
# The line through the bridge, one connection vs several, measured in the same run:
# a node `run --role platform,things-gateway` (embedded Kafka, the bridge on) with its own simulator
# of MOTORS motors at FPS frames/s each, logged in as the node's service user. Raw frames go over
# MQTT to the gateway, telemetry over MQTT through the bridge into Kafka. Run 1 uses one
# connection for the simulator and one for the gateway's publishes (simulator.connections=1,
# gateway.publishConnections=1: how it was); run 2 uses SHARDS of each. Each run is measured for
# SECONDS after a warm-up of WARMUP seconds: frames the simulator published per second, frames it
# had to skip (its motor's previous frame still unacknowledged), and telemetry records Kafka
# acknowledged through the bridge and the datastore stored, per second (aiot_ingest_rows_stored_total:
# the whole line, frame in to row stored). Prints the ratio
# sharded / single, and the node's CPU (cores busy, from /proc) in each run. Results are recorded in docs/benchmarks.md.
#   scripts/bench-gateway-shards.sh [MOTORS=200] [FPS=10] [SECONDS=30] [SHARDS=4] [WARMUP=15]
source "$(dirname "$0")/lib.sh"
MOTORS=${1:-200} FPS=${2:-10} SECONDS_=${3:-30} SHARDS=${4:-4} WARMUP=${5:-15}
ensure_jar
WORK=$(mktemp -d /tmp/aiot-bench-shards.XXXX)
trap 'kill "${NODE_PID:-}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

# sum of a counter's series on the node's /metrics
counter() { curl -s "localhost:$NODE_HTTP/metrics" | awk -v m="$1" -v t="${2:-}" \
  'index($0, m) == 1 && (t == "" || index($0, t) > 0) {s += $NF} END {printf "%d", s}'; }

measure() { # measure CONNECTIONS: prints "published/s skipped/s forwarded/s"
  local n="$1" dir="$WORK/node-$1"
  rm -rf "$dir" && mkdir -p "$dir"
  java -Xmx768m -XX:+ExitOnOutOfMemoryError -jar "$JAR" run --role platform,things-gateway --data-dir "$dir" \
    --set mqtt.port=0 --set http.port=0 --set mqtt.bindAddress=127.0.0.1 --set http.bindAddress=127.0.0.1 \
    --set pipeline.enabled=false --set simulator.enabled=true --set "simulator.motors=$MOTORS" \
    --set "simulator.framesPerSecond=$FPS" --set "simulator.connections=$n" \
    --set "gateway.publishConnections=$n" --set gateway.aggregateSeconds=0 >"$dir.log" 2>&1 &
  NODE_PID=$!
  await_node "$dir" "$NODE_PID" || exit 1
  sleep "$WARMUP"
  local p0 s0 f0 p1 s1 f1 c0 c1
  c0=$(awk '{print $14 + $15}' "/proc/$NODE_PID/stat")
  p0=$(counter aiot_simulator_frames_total 'outcome="published"') s0=$(counter aiot_simulator_frames_total 'outcome="skipped"')
  f0=$(counter aiot_ingest_rows_stored_total)
  sleep "$SECONDS_"
  p1=$(counter aiot_simulator_frames_total 'outcome="published"') s1=$(counter aiot_simulator_frames_total 'outcome="skipped"')
  f1=$(counter aiot_ingest_rows_stored_total)
  c1=$(awk '{print $14 + $15}' "/proc/$NODE_PID/stat")
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
  python3 -c "import sys; a=[float(x) for x in sys.argv[1:]]; t=a[6]; print(f'{(a[3]-a[0])/t:.0f} {(a[4]-a[1])/t:.0f} {(a[5]-a[2])/t:.0f} {(a[8]-a[7])/a[9]/t:.2f}')" \
    "$p0" "$s0" "$f0" "$p1" "$s1" "$f1" "$SECONDS_" "$c0" "$c1" "$(getconf CLK_TCK)"
}

echo "== $MOTORS motors x $FPS frames/s offered ($((MOTORS * FPS))/s), ${SECONDS_} s measured after ${WARMUP} s"
read -r P1 S1 F1 C1 < <(measure 1)
echo "one connection each:   published $P1/s, skipped $S1/s, stored $F1 rows/s, node CPU $C1 cores"
read -r PN SN FN CN < <(measure "$SHARDS")
echo "$SHARDS connections each: published $PN/s, skipped $SN/s, stored $FN rows/s, node CPU $CN cores"
python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'ratio of rows stored, {sys.argv[3]} / 1 connection: {b/a if a else float(\"inf\"):.2f}x')" \
  "$F1" "$FN" "$SHARDS"
