#!/usr/bin/env bash
# Inference benchmark, in one run: predictions/s of our java backend vs TensorFlow Lite's native
# runtime on the same .tflite files (the 27-feature logistic motor model and a 4-50-40-1 MLP,
# float and int8), one thread each (taskset -c 0); then train + int8 quantize + export time for
# 100k rows.
#   scripts/bench-inference.sh [SECONDS] [ROWS] [DEVICES] [HZ]   (per backend and model, default 3; rows 100000;
#   then telemetry -> score latency for DEVICES (1000) at HZ (10) vs the bare broker)
#   Then shadow scoring's cost (issue 17): windows/s of the scoring path with the champion alone vs
#   with a rollout candidate in shadow beside it, same run, one thread (target >= 0.6x).
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
ensure_jar
echo "== aiot-edge bench inference (one core: taskset -c 0)"
taskset -c 0 java -Xmx512m -jar "$JAR" bench inference --seconds "${1:-3}" --rows "${2:-100000}"
echo "== aiot-edge bench inference --shadow (one core: taskset -c 0), ${3:-1000} devices"
taskset -c 0 java -Xmx512m -jar "$JAR" bench inference --shadow --seconds "${1:-3}" --devices "${3:-1000}"
WORK=$(mktemp -d /tmp/aiot-bench-latency.XXXX)
trap 'rm -rf "$WORK"' EXIT
echo "== aiot-edge bench latency: ${3:-1000} devices at ${4:-10} Hz, telemetry -> score vs the bare broker"
java -Xmx1g -jar "$JAR" bench latency --work-dir "$WORK" --devices "${3:-1000}" --hz "${4:-10}" --seconds 20 2>"$WORK/bench.log" \
  || { tail -30 "$WORK/bench.log"; exit 1; }
