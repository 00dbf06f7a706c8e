package io.aiotedge.datastore;

import java.util.List;

/**
 * One stored reading.
 *
 * @param dedupeKey what makes a redelivered record the same row (the bridge's message id, else
 *     the Kafka coordinates)
 * @param timestamp epoch ms of the reading
 * @param sequence the device's sequence number, or null
 * @param label ground truth when known, else null
 * @param source the Kafka topic or {@code upload}
 */
public record FeatureRow(long id, String dedupeKey, String deviceId, long timestamp, Long sequence, String label,
        List<String> names, double[] values, String source) {
    public FeatureRow {
        names = List.copyOf(names);
    }
}
