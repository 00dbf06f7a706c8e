#!/usr/bin/env bash
# DSP benchmark: feature windows/s on one thread (4 channels x 256 and x 1024 samples, the
# default bands) vs the bare JTransforms FFTs of the same windows, in the same run.
#   scripts/bench-dsp.sh [SECONDS]   (per measurement, default 10; ~1 min in all)
# Then the gateway end to end (raw frames in over MQTT -> telemetry out) on one core.
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
ensure_jar
echo "== aiot-edge bench dsp: one thread (taskset -c 0), best of 5 rounds each"
taskset -c 0 java -Xmx256m -jar "$JAR" bench dsp --seconds "${1:-10}"
WORK=$(mktemp -d /tmp/aiot-bench-gateway.XXXX)
trap 'rm -rf "$WORK"' EXIT
echo "== aiot-edge bench gateway: raw frames in over MQTT -> telemetry out, whole JVM on one core (taskset -c 0)"
taskset -c 0 java -Xmx512m -jar "$JAR" bench gateway --work-dir "$WORK" --seconds "${1:-10}" 2>"$WORK/bench.log"
