package io.aiotedge.bench;

import java.util.Locale;

/**
 * What a load run measured. {@code lost} counts messages acknowledged to publishers (QoS>0) or
 * sent (QoS 0) that some subscriber never received; {@code duplicates} counts repeats.
 */
public record LoadResult(long sent, long refused, long received, long expected, long lost, long duplicates,
        double seconds, long p50Micros, long p99Micros, long maxMicros) {

    public double sentPerSecond() {
        return sent / seconds;
    }

    public double deliveredPerSecond() {
        return received / seconds;
    }

    public String summary() {
        return String.format(Locale.ROOT,
                "sent=%d (%.0f msg/s) refused=%d delivered=%d (%.0f msg/s) expected=%d lost=%d dup=%d "
                        + "p50=%.2fms p99=%.2fms max=%.2fms",
                sent, sentPerSecond(), refused, received, deliveredPerSecond(), expected, lost, duplicates,
                p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0);
    }

    public String json() {
        return String.format(Locale.ROOT,
                "{\"sent\":%d,\"refused\":%d,\"delivered\":%d,\"expected\":%d,\"lost\":%d,\"duplicates\":%d,"
                        + "\"seconds\":%.3f,\"sentPerSecond\":%.1f,\"deliveredPerSecond\":%.1f,"
                        + "\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f}",
                sent, refused, received, expected, lost, duplicates, seconds, sentPerSecond(), deliveredPerSecond(),
                p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0);
    }
}
