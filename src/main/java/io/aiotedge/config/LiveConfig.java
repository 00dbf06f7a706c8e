package io.aiotedge.config;

/**
 * The console's live state and streams ({@code console.*} keys read here): what the node keeps
 * in memory per device for the fleet and device views, and the bounds of each Server-Sent
 * Events client.
 *
 * @param streamBuffer events queued per stream; beyond it events for that client are dropped
 * @param maxStreams open streams at once (then 503)
 * @param sparklinePoints recent scores kept per device (the fleet's sparkline)
 * @param devicePoints recent feature rows and scores kept per device (the device charts)
 */
public record LiveConfig(int streamBuffer, int maxStreams, int sparklinePoints, int devicePoints) {

    /** The shipped defaults (tests, and nodes built without a config file). */
    public static LiveConfig defaults() {
        return new LiveConfig(64, 32, 60, 300);
    }

    static LiveConfig read(ConfigReader r) {
        return new LiveConfig(r.integer("console.streamBuffer", 4, 10_000), r.integer("console.maxStreams", 1, 1000),
                r.integer("console.sparklinePoints", 2, 1000), r.integer("console.devicePoints", 10, 10_000));
    }
}
