package io.aiotedge.support;

/** Reads a node's Prometheus text in tests. */
public final class Metrics {
    private Metrics() {
    }

    /** The sum of every sample of {@code name} (all label sets), 0 when absent. */
    public static double sum(String prometheusText, String name) {
        return prometheusText.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
