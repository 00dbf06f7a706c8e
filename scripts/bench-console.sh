#!/usr/bin/env bash
# Console benchmark, in one run against one demo node with MOTORS simulated motors:
#  - time to first render of the fleet view and of a device view, from Chromium's navigation timing
#    (performance marks the console sets once the view is drawn), headless Debian chromium driven over
#    chromedriver's WebDriver HTTP API (no Selenium needed here);
#  - SSE fan-out cost: the node's CPU (utime+stime from /proc/<pid>/stat) over SECONDS with no console
#    open, then with CONSOLES open fleet streams (curl -N with a session cookie), and the ratio;
#  - bytes per update: the fleet stream's bytes / its `event:` count.
#   flock /tmp/aiot-build.lock scripts/bench-console.sh [MOTORS] [FPS] [SECONDS] [CONSOLES]   (1000 1 30 20)
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
MOTORS=${1:-1000}; FPS=${2:-1}; SECONDS_=${3:-30}; CONSOLES=${4:-20}
ensure_jar
ensure_debs chromium chromium chromedriver chromium-driver curl curl
WORK=$(mktemp -d /tmp/aiot-bench-console.XXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== demo node with $MOTORS simulated motors at $FPS frames/s each"
java -Xmx1g -XX:+ExitOnOutOfMemoryError -jar "$JAR" demo --data-dir "$WORK/data" --set http.port=0 --set mqtt.port=0 \
  --set kafka.port=0 --set simulator.motors="$MOTORS" --set simulator.framesPerSecond="$FPS" >"$WORK/node.log" 2>&1 &
NODE_PID=$!; PIDS+=("$NODE_PID")
for _ in $(seq 1 480); do
  [ -f "$WORK/data/runtime.json" ] && break
  kill -0 "$NODE_PID" 2>/dev/null || { tail -30 "$WORK/node.log"; echo "node died during start" >&2; exit 1; }
  sleep 0.25
done
HTTP=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['ports']['http'])" "$WORK/data/runtime.json")
BASE="http://127.0.0.1:$HTTP"
for _ in $(seq 1 240); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.5; done
TOKEN=$(cat "$WORK/data/keys/admin-token")
echo "   waiting until the fleet lists $MOTORS devices"
for _ in $(seq 1 240); do
  n=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/fleet" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["devices"]))' 2>/dev/null || echo 0)
  [ "$n" -ge "$MOTORS" ] && break
  sleep 1
done
echo "   fleet: $n devices"

echo "== first render (Chromium navigation timing), median of 5 loads each"
DRIVER_PORT=$(free_port)
chromedriver --port="$DRIVER_PORT" >"$WORK/chromedriver.log" 2>&1 &
PIDS+=("$!")
wait_port "$DRIVER_PORT"
python3 - "$DRIVER_PORT" "$BASE" "$TOKEN" "$WORK" <<'PY'
import json, statistics, sys, time, urllib.request
port, base, token, work = sys.argv[1:5]
def wd(method, path, body=None):
    req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=120))["value"]
def link():
    req = urllib.request.Request(base + "/api/v1/session/links", method="POST", data=b"{}",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return base + json.load(urllib.request.urlopen(req))["url"]
args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + work + "/profile", "--window-size=1280,900"]
s = wd("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome",
       "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["sessionId"]
def mark(name, url):
    wd("POST", "/session/%s/url" % s, {"url": "about:blank"})
    wd("POST", "/session/%s/url" % s, {"url": url})
    for _ in range(600):
        v = wd("POST", "/session/%s/execute/sync" % s, {"script":
               "const m = performance.getEntriesByName(arguments[0])[0]; return m ? m.startTime : null;",
               "args": [name]})
        if v is not None:
            return v
        time.sleep(0.05)
    raise SystemExit("no %s mark on %s" % (name, url))
try:
    wd("POST", "/session/%s/url" % s, {"url": link()})
    fleet = [mark("fleet-rendered", base + "/console/#/fleet") for _ in range(5)]
    rows = wd("POST", "/session/%s/execute/sync" % s, {"script":
              "return document.querySelectorAll('tr[data-id]').length", "args": []})
    dev = [mark("device-rendered", base + "/console/#/device/motor-001") for _ in range(5)]
    print("   fleet view (%d rows): first render %.0f ms (median; min %.0f, max %.0f)"
          % (rows, statistics.median(fleet), min(fleet), max(fleet)))
    print("   device view (motor-001): first render %.0f ms (median; min %.0f, max %.0f)"
          % (statistics.median(dev), min(dev), max(dev)))
finally:
    wd("DELETE", "/session/%s" % s)
PY

cpu_ticks() { awk '{print $14 + $15}' "/proc/$NODE_PID/stat"; }
HZ=$(getconf CLK_TCK)
echo "== SSE fan-out: node CPU over ${SECONDS_} s without and with $CONSOLES open fleet streams"
c0=$(cpu_ticks); sleep "$SECONDS_"; c1=$(cpu_ticks)
base_cpu=$(( c1 - c0 ))
curl -sf -c "$WORK/cookies" -H 'Content-Type: application/json' -d "{\"token\":\"$TOKEN\"}" "$BASE/api/v1/session" >/dev/null
STREAMS=()
for i in $(seq 1 "$CONSOLES"); do
  curl -sN -b "$WORK/cookies" -H 'Accept: text/event-stream' "$BASE/api/v1/live/fleet" >"$WORK/sse.$i" 2>/dev/null &
  STREAMS+=("$!"); PIDS+=("$!")
done
sleep 2
c0=$(cpu_ticks); sleep "$SECONDS_"; c1=$(cpu_ticks)
with_cpu=$(( c1 - c0 ))
for p in "${STREAMS[@]}"; do kill "$p" 2>/dev/null || true; done
bytes=$(cat "$WORK"/sse.* | wc -c)
events=$(cat "$WORK"/sse.* | grep -c '^event:' || true)
python3 - "$base_cpu" "$with_cpu" "$HZ" "$SECONDS_" "$bytes" "$events" "$CONSOLES" <<'PY'
import sys
base, with_, hz, secs, nbytes, events, consoles = map(float, sys.argv[1:8])
print("   node CPU without consoles: %.1f%% of a core" % (100 * base / hz / secs))
print("   node CPU with %d consoles:  %.1f%% of a core" % (consoles, 100 * with_ / hz / secs))
print("   ratio with/without: %.2fx" % (with_ / base if base else float("nan")))
print("   fleet stream: %d events, %d bytes in all, %.0f bytes per update (event), %.0f bytes/s per console"
      % (events, nbytes, nbytes / events if events else float("nan"), nbytes / consoles / (secs + 2)))
PY
