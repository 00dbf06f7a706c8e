#!/usr/bin/env bash
# Broker benchmark: our node (auth + ACLs on, default limits) vs Debian's Mosquitto (defaults,
# password file), same load tool, same run. Prints msgs/s, p50/p99, lost, RSS and ratios.
#   scripts/bench-broker.sh [SECONDS]      (default 20 s per scenario; ~6 min in all)
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
SECS="${1:-20}"
HEAP="${AIOT_BENCH_HEAP:-512m}"
ensure_jar
ensure_debs mosquitto mosquitto mosquitto_passwd mosquitto
WORK=$(mktemp -d /tmp/aiot-bench-broker.XXXX)
cleanup() { kill "${NODE_PID:-}" "${MOSQ_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

PW=bench-pw
HASH=$(printf '%s\n' "$PW" | java -jar "$JAR" users hash --password-stdin)
echo "== starting aiot-edge (-Xmx$HEAP) and mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}')"
# AIOT_BENCH_SET="k=v k=v" adds --set overrides to the node (for comparing settings)
EXTRA=()
for kv in ${AIOT_BENCH_SET:-}; do EXTRA+=(--set "$kv"); done
start_node "$WORK/node" "$HEAP" "${EXTRA[@]}" --set "mqtt.users=[{username: bench, passwordHash: \"$HASH\", role: service}]"
MOSQ_PORT=$(free_port)
mosquitto_passwd -b -c "$WORK/mosq.passwd" bench "$PW" >/dev/null 2>&1
# mosquitto started as root drops to its own user, which must be able to read the password file
chmod 755 "$WORK"
id mosquitto >/dev/null 2>&1 && chown mosquitto "$WORK/mosq.passwd"
chmod 600 "$WORK/mosq.passwd"
printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\n' "$MOSQ_PORT" "$WORK/mosq.passwd" > "$WORK/mosq.conf"
mosquitto -c "$WORK/mosq.conf" >"$WORK/mosq.log" 2>&1 &
MOSQ_PID=$!
wait_port "$MOSQ_PORT" || { cat "$WORK/mosq.log" >&2; exit 1; }

load() { # load PORT QOS RATE -> JSON line
  java -Xmx1g -jar "$JAR" bench mqtt --port "$1" --username bench --password "$PW" --publishers 8 \
    --subscribers 2 --qos "$2" --rate "$3" --seconds "$SECS" --payload 256 --json 2>"$WORK/load.err"
}

dropped() { # HiveMQ's own drop counter on our node
  curl -s "localhost:$NODE_HTTP/metrics" | awk '/^aiot_mqtt_messages_dropped_total/ {printf "%d", $2}'
}

echo "== warm-up: 10 s of QoS 1 at half rate against each broker (JIT, caches, stores), not recorded"
SECS_SAVED="$SECS"; SECS=10
load "$NODE_MQTT" 1 500 >/dev/null
load "$MOSQ_PORT" 1 500 >/dev/null
SECS="$SECS_SAVED"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
for scenario in "1 1000 paced-qos1" "0 1000 paced-qos0" "1 0 flood-qos1" "0 0 flood-qos0"; do
  set -- $scenario
  echo "== $3: 8 publishers x ${2/#0/unpaced} msg/s, 2 subscribers, QoS $1, ${SECS}s"
  before=$(dropped)
  ours=$(load "$NODE_MQTT" "$1" "$2"); echo "  aiot-edge: $ours (broker dropped $(( $(dropped) - before )))"
  kill -0 "$NODE_PID" 2>/dev/null || { echo "  aiot-edge DIED"; tail -20 "$WORK/node.log"; exit 1; }
  mosq=$(load "$MOSQ_PORT" "$1" "$2"); echo "  mosquitto: $mosq"
  printf '%s\t%s\t%s\t%s\t%s\n' "$3" "$ours" "$mosq" "$(rss_mb "$NODE_PID")" "$(rss_mb "$MOSQ_PID")" >> "$RESULTS"
done

python3 - "$RESULTS" <<'PY'
import json, sys
print()
print("| scenario | broker | delivered msg/s | p50 ms | p99 ms | lost | RSS MB | delivered ratio | p99 ratio |")
print("|---|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    name, ours, mosq, rss_o, rss_m = line.rstrip("\n").split("\t")
    o, m = json.loads(ours), json.loads(mosq)
    rate = o["deliveredPerSecond"] / m["deliveredPerSecond"] if m["deliveredPerSecond"] else float("nan")
    p99 = o["p99Ms"] / m["p99Ms"] if m["p99Ms"] > 0 else float("nan")
    for who, r, rss in (("aiot-edge", o, rss_o), ("mosquitto", m, rss_m)):
        ratio = f"{rate:.2f}x" if who == "aiot-edge" else "1.00x"
        pr = f"{p99:.2f}x" if who == "aiot-edge" else "1.00x"
        print(f"| {name} | {who} | {r['deliveredPerSecond']:.0f} | {r['p50Ms']:.2f} | {r['p99Ms']:.2f} | {r['lost']} | {rss} | {ratio} | {pr} |")
PY
echo
echo "aiot-edge node RSS after all scenarios: $(rss_mb "$NODE_PID") MB; data dir $(du -sh "$WORK/node/broker" | cut -f1)"
