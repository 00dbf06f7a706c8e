# Shared helpers for scripts/*.sh (sourced, not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/aiot-edge.jar"

ensure_jar() {
  if [ ! -f "$JAR" ]; then
    (cd "$ROOT" && mvn -B -q package -DskipTests)
  fi
}

ensure_debs() { # ensure_debs command package [command package ...]
  local missing=()
  while [ $# -gt 1 ]; do
    command -v "$1" >/dev/null 2>&1 || missing+=("$2")
    shift 2
  done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # wait_port port: until something listens on 127.0.0.1:port (10 s)
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

rss_mb() { # rss_mb pid
  awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"
}

# start_node DATA_DIR HEAP [--set k=v ...]: starts `run --role platform`, waits for runtime.json,
# sets NODE_PID, NODE_MQTT, NODE_HTTP.
start_node() {
  local dir="$1" heap="$2"; shift 2
  rm -rf "$dir" && mkdir -p "$dir"
  java "-Xmx$heap" ${NODE_JAVA_OPTS:-} -XX:+ExitOnOutOfMemoryError -jar "$JAR" run --role platform --data-dir "$dir" \
    --set mqtt.port=0 --set http.port=0 --set mqtt.bindAddress=127.0.0.1 --set http.bindAddress=127.0.0.1 \
    --set kafka.mode=off "$@" >"$dir.log" 2>&1 &
  NODE_PID=$!
  await_node "$dir" "$NODE_PID"
}

# await_node DATA_DIR PID: waits (up to 60 s) for the node's runtime.json, failing with its log if it
# dies first; sets NODE_MQTT and NODE_HTTP from the ports it lists.
await_node() {
  local dir="$1" pid="$2"
  for _ in $(seq 1 240); do
    [ -f "$dir/runtime.json" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir.log" >&2; echo "node died during start" >&2; return 1; }
    sleep 0.25
  done
  [ -f "$dir/runtime.json" ] || { echo "node not ready after 60 s (log: $dir.log)" >&2; return 1; }
  NODE_MQTT=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['ports']['mqtt'])" "$dir/runtime.json")
  NODE_HTTP=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['ports']['http'])" "$dir/runtime.json")
}
