#!/usr/bin/env bash
# Broker benchmark: our node (auth + ACLs on, default limits) vs Debian's Mosquitto twice, with
# its defaults (which drop QoS 1 messages once a client has 1000 queued) and with
# max_queued_messages 0 / max_queued_bytes 0 (drops nothing: the fair comparison for a broker
# that must not lose readings). Same load tool, same run. Prints delivered msg/s, p50/p99, lost,
# CPU time per delivered message (utime+stime of each broker process from /proc/<pid>/stat),
# RSS, and our ratios to both Mosquittos.
#   scripts/bench-broker.sh [SECONDS]      (default 20 s per scenario; ~7 min in all)
# Run it alone: flock /tmp/aiot-build.lock scripts/bench-broker.sh. Results: docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
SECS="${1:-20}"
HEAP="${AIOT_BENCH_HEAP:-512m}"
ensure_jar
ensure_debs mosquitto mosquitto mosquitto_passwd mosquitto
WORK=$(mktemp -d /tmp/aiot-bench-broker.XXXX)
cleanup() { kill "${NODE_PID:-}" "${MOSQ_PID:-}" "${NODROP_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
TCK=$(getconf CLK_TCK)

PW=bench-pw
HASH=$(printf '%s\n' "$PW" | java -jar "$JAR" users hash --password-stdin)
echo "== starting aiot-edge (-Xmx$HEAP) and mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') twice"
# AIOT_BENCH_SET="k=v k=v" adds --set overrides to the node (for comparing settings)
EXTRA=()
for kv in ${AIOT_BENCH_SET:-}; do EXTRA+=(--set "$kv"); done
start_node "$WORK/node" "$HEAP" "${EXTRA[@]}" --set "mqtt.users=[{username: bench, passwordHash: \"$HASH\", role: service}]"
mosquitto_passwd -b -c "$WORK/mosq.passwd" bench "$PW" >/dev/null 2>&1
# mosquitto started as root drops to its own user, which must be able to read the password file
chmod 755 "$WORK"
id mosquitto >/dev/null 2>&1 && chown mosquitto "$WORK/mosq.passwd"
chmod 600 "$WORK/mosq.passwd"
start_mosquitto() { # start_mosquitto NAME [config line ...]: sets STARTED_PID, STARTED_PORT
  local name="$1" port; shift
  port=$(free_port)
  { printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\n' "$port" "$WORK/mosq.passwd"
    for line in "$@"; do printf '%s\n' "$line"; done; } > "$WORK/$name.conf"
  mosquitto -c "$WORK/$name.conf" >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  STARTED_PORT=$port
  wait_port "$port" || { cat "$WORK/$name.log" >&2; exit 1; }
}
start_mosquitto mosq
MOSQ_PID=$STARTED_PID MOSQ_PORT=$STARTED_PORT
start_mosquitto nodrop "max_queued_messages 0" "max_queued_bytes 0"
NODROP_PID=$STARTED_PID NODROP_PORT=$STARTED_PORT

load() { # load PORT QOS RATE -> JSON line
  java -Xmx1g -jar "$JAR" bench mqtt --port "$1" --username bench --password "$PW" --publishers 8 \
    --subscribers 2 --qos "$2" --rate "$3" --seconds "$SECS" --payload 256 --json 2>"$WORK/load.err"
}

cpu_ticks() { # cpu_ticks PID: utime + stime so far (fields 14 and 15; the name in field 2 has no spaces here)
  awk '{print $14 + $15}' "/proc/$1/stat"
}

dropped() { # HiveMQ's own drop counter on our node
  curl -s "localhost:$NODE_HTTP/metrics" | awk '/^aiot_mqtt_messages_dropped_total/ {printf "%d", $2}'
}

echo "== warm-up: 10 s of QoS 1 at half rate against each broker (JIT, caches, stores), not recorded"
SECS_SAVED="$SECS"; SECS=10
for port in "$NODE_MQTT" "$MOSQ_PORT" "$NODROP_PORT"; do load "$port" 1 500 >/dev/null; done
SECS="$SECS_SAVED"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
for scenario in "1 1000 paced-qos1" "0 1000 paced-qos0" "1 0 flood-qos1" "0 0 flood-qos0"; do
  set -- $scenario
  echo "== $3: 8 publishers x ${2/#0/unpaced} msg/s, 2 subscribers, QoS $1, ${SECS}s"
  for who in "aiot-edge $NODE_PID $NODE_MQTT" "mosquitto $MOSQ_PID $MOSQ_PORT" \
      "mosquitto-nodrop $NODROP_PID $NODROP_PORT"; do
    set -- $who $scenario
    before=$(dropped); t0=$(cpu_ticks "$2")
    r=$(load "$3" "$4" "$5")
    t1=$(cpu_ticks "$2")
    note=""; [ "$1" = aiot-edge ] && note=" (broker dropped $(( $(dropped) - before )))"
    echo "  $1: $r$note"
    kill -0 "$2" 2>/dev/null || { echo "  $1 DIED"; tail -20 "$WORK/node.log"; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\n' "$6" "$1" "$r" "$(( t1 - t0 ))" "$(rss_mb "$2")" >> "$RESULTS"
  done
done

python3 - "$RESULTS" "$TCK" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    scenario, who, r, ticks, rss = line.rstrip("\n").split("\t")
    rows.setdefault(scenario, {})[who] = (json.loads(r), int(ticks), rss)
tck = int(sys.argv[2])
def ratio(a, b):
    return f"{a / b:.2f}x" if b else "n/a"
print()
print("| scenario | broker | delivered msg/s | p50 ms | p99 ms | lost | CPU us/delivered | RSS MB"
      " | delivered vs default / no-drop | p99 vs default / no-drop |")
print("|---|---|---|---|---|---|---|---|---|---|")
for scenario, by in rows.items():
    mosq, nodrop = by["mosquitto"][0], by["mosquitto-nodrop"][0]
    for who, (r, ticks, rss) in by.items():
        cpu = ticks / tck * 1e6 / r["delivered"] if r["delivered"] else float("nan")
        d = f"{ratio(r['deliveredPerSecond'], mosq['deliveredPerSecond'])} / {ratio(r['deliveredPerSecond'], nodrop['deliveredPerSecond'])}"
        p = f"{ratio(r['p99Ms'], mosq['p99Ms'])} / {ratio(r['p99Ms'], nodrop['p99Ms'])}"
        print(f"| {scenario} | {who} | {r['deliveredPerSecond']:.0f} | {r['p50Ms']:.2f} | {r['p99Ms']:.2f} | {r['lost']}"
              f" | {cpu:.1f} | {rss} | {d} | {p} |")
PY
echo
echo "aiot-edge node RSS after all scenarios: $(rss_mb "$NODE_PID") MB; broker data dir $(du -sk "$WORK/node/broker" | cut -f1) KiB allocated (du)"
