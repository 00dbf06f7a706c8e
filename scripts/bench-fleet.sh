#!/usr/bin/env bash
# Fleet benchmark: the multi-node topology of FleetIT (3 Kafka brokers in KRaft mode, platform,
# things-gateway with N simulated motors, 2 inference nodes; each a JVM of the shaded JAR in its
# own network namespace, every link TLS with credentials), then one node with every role on the
# same load, in the same run. Reports frames/s, raw frame -> alert latency p50/p99, window ->
# score latency, consumer lag, loss (acknowledged frames missing from aiot.raw), RSS and CPU per
# node, and the ratios.
#   scripts/bench-fleet.sh [MOTORS] [HZ] [SECONDS]   (default 400 motors at 2 Hz, 60 s measured)
# Needs root and iproute2 (network namespaces). Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
ensure_debs ip iproute2
[ "$(id -u)" = 0 ] || { echo "bench-fleet needs root (ip netns)" >&2; exit 1; }
# the benchmark's driver reuses the test-support classes (io.aiotedge.support.fleet) from the test sources
CP_FILE="$ROOT/target/bench-fleet.classpath"
(cd "$ROOT" && ${MVN:-mvn} -B -q package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE")
TEST_DEPS=$(tr ':' '\n' <"$CP_FILE" | grep -E '/(awaitility|hamcrest)/' | paste -sd:)
WORK=$(mktemp -d /tmp/aiot-bench-fleet.XXXX)
trap 'rm -rf "$WORK"' EXIT
echo "== aiot-edge bench fleet: ${1:-400} motors at ${2:-2} Hz, ${3:-60} s per setup"
java -Xmx512m -cp "$ROOT/target/test-classes:$JAR:$TEST_DEPS" -Daiot.jar="$JAR" io.aiotedge.support.fleet.FleetBench \
  --work-dir "$WORK" --motors "${1:-400}" --rate "${2:-2}" --seconds "${3:-60}" 2>"$WORK/bench.log" \
  || { tail -40 "$WORK/bench.log"; exit 1; }
