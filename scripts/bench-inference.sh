#!/usr/bin/env bash
# Inference benchmark, in one run: predictions/s of our java backend vs TensorFlow Lite's native
# runtime on the same .tflite files (the 27-feature logistic motor model and a 4-50-40-1 MLP,
# float and int8), one thread each (taskset -c 0); then train + int8 quantize + export time for
# 100k rows.
#   scripts/bench-inference.sh [SECONDS] [ROWS]   (per backend and model, default 3; rows 100000)
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
ensure_jar
echo "== aiot-edge bench inference (one core: taskset -c 0)"
taskset -c 0 java -Xmx512m -jar "$JAR" bench inference --seconds "${1:-3}" --rows "${2:-100000}"
