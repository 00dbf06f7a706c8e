#!/usr/bin/env bash
# Writes a dynamic class-data-sharing archive (AppCDS, JDK 13+) of the shaded JAR for the
# integration tests: every node, Kafka broker and CLI the tests start is a fresh JVM of that JAR,
# and with the archive each maps the classes a node loads instead of parsing and verifying them
# again (a platform start + stop: ~25 -> ~16 s of CPU here). The tests' launchers
# (support/NodeProcess) add -XX:SharedArchiveFile when the archive is newer than the JAR.
#   scripts/cds-archive.sh JAR ARCHIVE
# The training run is one node of every role on free ports in a temp dir, started until ready and
# stopped with SIGTERM (the JVM writes the archive as it exits). A JVM that cannot write one only
# leaves a warning: the tests then run without it.
set -euo pipefail
JAR=$1
ARCHIVE=$2
if [ -f "$ARCHIVE" ] && [ "$ARCHIVE" -nt "$JAR" ]; then
  echo "cds-archive: $ARCHIVE is newer than $JAR, kept"
  exit 0
fi
rm -f "$ARCHIVE"
WORK=$(mktemp -d /tmp/aiot-cds.XXXX)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
start=$(date +%s)
java -Xmx512m -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" run --role platform,inference,things-gateway \
  --data-dir "$WORK/node" --set mqtt.port=0 --set http.port=0 --set kafka.port=0 >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 1800); do
  grep -q "Node ready" "$WORK/log" && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "Node ready" "$WORK/log"; then
  echo "cds-archive: WARNING the training node did not become ready; no archive (tests run without it)" >&2
  tail -20 "$WORK/log" >&2
  exit 0
fi
kill -TERM "$PID"
wait "$PID" || true
PID=""
if [ -f "$ARCHIVE" ]; then
  echo "cds-archive: wrote $ARCHIVE ($(( $(stat -c %s "$ARCHIVE") / 1048576 )) MiB) in $(( $(date +%s) - start )) s"
else
  echo "cds-archive: WARNING the JVM wrote no archive; tests run without it" >&2
fi
