package io.aiotedge.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stored alert as the API shows it (docs/platform.md, "Alerts").
 *
 * @param deviceId null on an alert the platform raised about a model (a rollout rolled back)
 * @param score null when the alert has none (e.g. a rollout alert)
 * @param node the inference node that raised it ({@code local} on this node), null when unnamed
 * @param reason why, on an alert the platform raised (null on a device's condition alert)
 * @param ack null until acknowledged
 * @param payload the alert as published; only on a single alert's view
 */
public record Alert(long id, String deviceId, String type, String band, String previousBand, Double score,
        String modelName, Integer modelVersion, String lineageId, String node, String rolloutId, String reason,
        long ts, long receivedAt, Ack ack, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode payload) {

    /** Who acknowledged, when (epoch ms), with what note (may be empty). */
    public record Ack(String by, long at, String note) {
    }

    /** The same alert without its payload (list items, events). */
    public Alert summary() {
        return payload == null ? this : new Alert(id, deviceId, type, band, previousBand, score, modelName,
                modelVersion, lineageId, node, rolloutId, reason, ts, receivedAt, ack, null);
    }
}
