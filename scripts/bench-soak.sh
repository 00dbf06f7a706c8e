#!/usr/bin/env bash
# Soak: a things-gateway node (broker) under the broker benchmark's paced QoS 1 load (8 publishers x
# AIOT_SOAK_RATE msg/s, 2 subscribers, AIOT_SOAK_PAYLOAD B) for DURATION seconds, started by the launcher
# with the things-gateway profile of deploy/jvm.env inside a memory cgroup of its limit (v1 or v2, as
# root; else -XX:MaxRAM, said in the output). Samples RSS, the group's charge and the data dir's
# allocated size (du -k) every INTERVAL s; after the warm-up (the first WARMUP s, default a sixth)
# fits a line to each and prints its slope against the bound, then PASS or FAIL (exit 1).
#   scripts/bench-soak.sh [DURATION=3600] [INTERVAL=30]
# Bounds (docs/operations.md, "Budgets"): RSS slope <= AIOT_SOAK_RSS_BOUND MiB/h (default 8),
# data dir slope <= AIOT_SOAK_DISK_BOUND MiB/h (default 10), no OOM kill, no message lost, and at
# the end RSS under the limit and the data dir under 200 MB. Run it under the build lock.
source "$(dirname "$0")/lib.sh"
DURATION="${1:-3600}"
INTERVAL="${2:-30}"
WARMUP="${AIOT_SOAK_WARMUP:-$((DURATION / 6))}"
RATE="${AIOT_SOAK_RATE:-1000}"
PAYLOAD="${AIOT_SOAK_PAYLOAD:-256}"
RSS_BOUND="${AIOT_SOAK_RSS_BOUND:-8}"
DISK_BOUND="${AIOT_SOAK_DISK_BOUND:-10}"
ensure_jar
WORK=$(mktemp -d /tmp/aiot-bench-soak.XXXX)
eval "$(AIOT_DRY_RUN=1 AIOT_PROFILE=things-gateway AIOT_JVM_ENV="$ROOT/deploy/jvm.env" sh "$ROOT/scripts/aiot-edge" \
  | sed -n 's/^limit=\(.*\)Mi$/LIMIT_MIB=\1/p')"
LIMIT=$((LIMIT_MIB << 20))

# a child of our own memory group with the limit: v1 (memory.limit_in_bytes) or v2 (memory.max)
GROUP="" MODE="MaxRAM"
own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)
if [ -n "$own" ] && [ -f "/sys/fs/cgroup/memory$own/memory.limit_in_bytes" ] \
    && mkdir "/sys/fs/cgroup/memory$own/aiot-soak-$$" 2>/dev/null; then
  GROUP="/sys/fs/cgroup/memory$own/aiot-soak-$$" MODE="cgroup v1"
  echo "$LIMIT" > "$GROUP/memory.limit_in_bytes"
  [ -f "$GROUP/memory.memsw.limit_in_bytes" ] && echo "$LIMIT" > "$GROUP/memory.memsw.limit_in_bytes"
else
  own=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
  if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null \
      && mkdir "/sys/fs/cgroup$own/aiot-soak-$$" 2>/dev/null; then
    GROUP="/sys/fs/cgroup$own/aiot-soak-$$"
    if [ -f "$GROUP/memory.max" ]; then MODE="cgroup v2"; echo "$LIMIT" > "$GROUP/memory.max"
    else rmdir "$GROUP"; GROUP=""; fi
  fi
fi
cleanup() {
  kill "${NODE_PID:-}" "${LOAD_PID:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -z "$GROUP" ] || { for _ in $(seq 1 50); do [ -s "$GROUP/cgroup.procs" ] || break; sleep 0.2; done; rmdir "$GROUP"; }
}
trap cleanup EXIT
[ -z "${AIOT_SOAK_KEEP:-}" ] || echo "work dir: $WORK"
oom_kills() {
  case "$MODE" in
    "cgroup v1") awk '$1=="oom_kill" {print $2}' "$GROUP/memory.oom_control" ;;
    "cgroup v2") awk '$1=="oom_kill" {print $2}' "$GROUP/memory.events" ;;
    *) echo 0 ;;
  esac
}
group_mib() {
  case "$MODE" in
    "cgroup v1") awk '$1=="rss" {printf "%d", $2/1048576}' "$GROUP/memory.stat" ;;
    "cgroup v2") awk '$1=="anon" {printf "%d", $2/1048576}' "$GROUP/memory.stat" ;;
    *) echo "-" ;;
  esac
}

PW=bench-pw
HASH=$(printf '%s\n' "$PW" | java -jar "$JAR" users hash --password-stdin)
DATA="$WORK/node"
mkdir -p "$DATA"
EXTRA=()
[ "$MODE" = MaxRAM ] && EXTRA=(-XX:MaxRAM="$LIMIT")
echo "== things-gateway node, profile things-gateway (${LIMIT_MIB} MiB, $MODE), ${DURATION}s of 8 x ${RATE} msg/s QoS 1, ${PAYLOAD} B"
T0=$(date +%s.%N)
AIOT_JVM_ENV="$ROOT/deploy/jvm.env" AIOT_JAR="$JAR" AIOT_PROFILE=things-gateway AIOT_JAVA_OPTS="${EXTRA[*]:-}" \
  sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$GROUP" "$ROOT/scripts/aiot-edge" \
  run --role things-gateway --data-dir "$DATA" --set mqtt.port=0 --set http.port=0 \
  --set mqtt.bindAddress=127.0.0.1 --set http.bindAddress=127.0.0.1 \
  --set "mqtt.users=[{username: bench, passwordHash: \"$HASH\", role: service}]" >"$DATA.log" 2>&1 &
NODE_PID=$!
await_node "$DATA" "$NODE_PID" || exit 1
echo "ready in $(python3 -c "import time;print(f'{time.time()-$T0:.1f}')") s; $(grep -o 'Memory caps.*' "$DATA.log" | head -1)"
MQTT=$NODE_MQTT

java -Xmx1g -jar "$JAR" bench mqtt --port "$MQTT" --username bench --password "$PW" --publishers 8 \
  --subscribers 2 --qos 1 --rate "$RATE" --seconds "$DURATION" --payload "$PAYLOAD" --json \
  >"$WORK/load.json" 2>"$WORK/load.err" &
LOAD_PID=$!
SAMPLES="$WORK/samples.tsv"
printf 't_s\trss_mib\tgroup_rss_mib\tdata_kib\n' | tee "$SAMPLES"
START=$(date +%s)
while kill -0 "$LOAD_PID" 2>/dev/null; do
  kill -0 "$NODE_PID" 2>/dev/null || { echo "node DIED"; tail -30 "$DATA.log"; break; }
  printf '%d\t%s\t%s\t%s\n' "$(( $(date +%s) - START ))" "$(rss_mb "$NODE_PID")" "$(group_mib)" \
    "$(du -sk "$DATA" | cut -f1)" | tee -a "$SAMPLES"
  sleep "$INTERVAL"
done
wait "$LOAD_PID" || true
echo "data dir by store (du -k, while running):"; du -k -d 3 "$DATA" | sort -rn | head -8 | sed 's/^/  /'
ALIVE=0; kill -0 "$NODE_PID" 2>/dev/null && ALIVE=1
python3 - "$SAMPLES" "$WORK/load.json" "$WARMUP" "$RSS_BOUND" "$DISK_BOUND" "$(oom_kills)" "$ALIVE" "$LIMIT_MIB" \
  "$(du -sk "$DATA" | cut -f1)" "$MODE" <<'PY'
import json, sys
samples, load, warm, rss_b, disk_b, oom, alive, limit, final_kib, mode = sys.argv[1:]
rows = [l.split("\t") for l in open(samples).read().splitlines()[1:]]
pts = [(int(r[0]), float(r[1]), float(r[3]) / 1024) for r in rows if r[1] != "?" and int(r[0]) >= int(warm)]
def slope(xy):  # least squares, per hour
    n = len(xy); mx = sum(x for x, _ in xy) / n; my = sum(y for _, y in xy) / n
    sxx = sum((x - mx) ** 2 for x, _ in xy)
    return 3600 * sum((x - mx) * (y - my) for x, y in xy) / sxx if sxx else float("nan")
try:
    r = json.load(open(load))
except ValueError:
    r = {"lost": -1, "deliveredPerSecond": 0, "p99Ms": 0}
ok = len(pts) >= 3
rs = slope([(t, m) for t, m, _ in pts]) if ok else float("nan")
ds = slope([(t, d) for t, _, d in pts]) if ok else float("nan")
peak = max(float(x[1]) for x in rows if x[1] != "?") if rows else float("nan")
checks = [
    (f"RSS slope after {warm} s warm-up: {rs:.2f} MiB/h (bound {rss_b})", ok and rs <= float(rss_b)),
    (f"data dir slope: {ds:.2f} MiB/h (bound {disk_b})", ok and ds <= float(disk_b)),
    (f"max sampled RSS {peak:.0f} MiB < limit {limit} MiB ({mode})", peak < int(limit)),
    (f"data dir at the end {int(final_kib) / 1024:.1f} MiB < 200 MB", int(final_kib) < 200 * 1000 * 1000 / 1024),
    (f"OOM kills {oom}", oom == "0"),
    (f"node alive at the end", alive == "1"),
    (f"lost {r['lost']} (delivered {r['deliveredPerSecond']:.0f} msg/s, p99 {r['p99Ms']:.1f} ms)", r["lost"] == 0),
]
for text, good in checks:
    print(("  ok   " if good else "  FAIL ") + text)
passed = all(g for _, g in checks)
print("PASS" if passed else "FAIL")
sys.exit(0 if passed else 1)
PY
