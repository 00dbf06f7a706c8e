package io.aiotedge.bench;

import java.util.Arrays;

/** Collects latency samples (microseconds) up to a fixed cap; percentiles by sorting. Thread-safe. */
final class Latencies {
    private final long[] samples;
    private int size;

    Latencies(int cap) {
        samples = new long[cap];
    }

    synchronized void add(long micros) {
        if (size < samples.length) {
            samples[size++] = micros;
        }
    }

    synchronized long percentile(double p) {
        if (size == 0) {
            return -1;
        }
        long[] copy = Arrays.copyOf(samples, size);
        Arrays.sort(copy);
        int idx = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100.0 * size) - 1));
        return copy[idx];
    }
}
