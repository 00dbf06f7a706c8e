package io.aiotedge.wire;

import java.util.List;

/**
 * A feature vector published on {@code aiot/v1/things/{id}/telemetry} (docs/frames.md).
 *
 * @param deviceId the device the features describe
 * @param timestampMillis when the window was sampled (epoch ms)
 * @param sequence the raw frame's sequence number
 * @param names feature names, in order (docs/features.md)
 * @param values one value per name
 * @param label the ground-truth condition when known (simulated motors), else null
 */
public record Telemetry(String deviceId, long timestampMillis, long sequence, List<String> names, double[] values,
        String label) {
    public Telemetry {
        names = List.copyOf(names);
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
        }
    }
}
