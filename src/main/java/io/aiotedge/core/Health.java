package io.aiotedge.core;

/**
 * A component's health as shown on {@code /health/ready} and in metrics.
 *
 * @param status UP, DEGRADED (running but impaired, e.g. spooling) or DOWN
 * @param detail one human-readable line, never null
 */
public record Health(Status status, String detail) {
    public enum Status { UP, DEGRADED, DOWN }

    public static Health up() {
        return new Health(Status.UP, "");
    }

    public static Health down(String detail) {
        return new Health(Status.DOWN, detail);
    }

    /** Ready = at least one component and none DOWN (DEGRADED still serves). */
    public static boolean allServing(java.util.Map<String, Health> byComponent) {
        return !byComponent.isEmpty() && byComponent.values().stream().allMatch(h -> h.status() != Status.DOWN);
    }

    public static Health degraded(String detail) {
        return new Health(Status.DEGRADED, detail);
    }
}
