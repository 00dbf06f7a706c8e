#!/usr/bin/env bash
# DSP benchmark: feature windows/s on one thread (4 channels x 256 and x 1024 samples, the
# default bands) vs the bare JTransforms FFTs of the same windows, in the same run.
#   scripts/bench-dsp.sh [SECONDS]   (per measurement, default 10; ~1 min in all)
# The gateway's end-to-end frames/s (raw in -> telemetry out) joins this script with the gateway.
# Results are recorded in docs/benchmarks.md.
source "$(dirname "$0")/lib.sh"
ensure_jar
echo "== aiot-edge bench dsp: one thread (taskset -c 0), best of 5 rounds each"
taskset -c 0 java -Xmx256m -jar "$JAR" bench dsp --seconds "${1:-10}"
