package io.aiotedge.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.LiveFeed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Alerts the platform raises itself, stored straight into the alert history (never consumed from
 * Kafka, so no device or node can forge one: {@link Incoming} refuses their types). Today one: a
 * rollout rolled back ({@code type: rollout-rolled-back}), about a model, so its device is null.
 * Its dedupe key is the rollout's id, so offering it again (the controller does at every start, in
 * case the platform stopped between the rollback and the insert) stores it once. Thread-safe.
 */
public final class PlatformAlerts implements Consumer<JsonNode> {
    public static final String ROLLED_BACK = "rollout-rolled-back";
    private static final int MAX_REASON = 1024;

    private final AlertStore store;
    private final LiveFeed live;
    private final Clock clock;

    public PlatformAlerts(AlertStore store, LiveFeed live, Clock clock) {
        this.store = store;
        this.live = live;
        this.clock = clock;
    }

    /** Stores a rollback alert as {@code RolloutController} publishes it; see {@link #rolledBack}. */
    @Override
    public void accept(JsonNode alert) {
        rolledBack(alert);
    }

    /**
     * Stores {@code {type: rollout-rolled-back, model, modelVersion, rolloutId, reason, timestamp,
     * ...}} with its payload; empty when that rollout's alert is already stored.
     */
    public Optional<Alert> rolledBack(JsonNode alert) {
        String rolloutId = alert.path("rolloutId").asText("");
        if (!ROLLED_BACK.equals(alert.path("type").asText()) || rolloutId.isEmpty() || rolloutId.length() > 64) {
            throw new IllegalArgumentException("not a rollback alert: " + alert.path("type").asText());
        }
        long now = clock.millis();
        String reason = alert.path("reason").asText("");
        Alert a = new Alert(0, null, ROLLED_BACK, null, null, null, alert.path("model").asText(null),
                alert.path("modelVersion").isInt() ? alert.path("modelVersion").asInt() : null,
                alert.path("lineageId").asText(null), null, rolloutId,
                cut(reason),
                alert.path("timestamp").asLong(now), now, null, null);
        AlertStore.Stored s = store.store(List.of(new Incoming.NewAlert("p:" + ROLLED_BACK + "/" + rolloutId, a,
                payload(alert))), List.of());
        s.alerts().forEach(stored -> live.alert(null, stored));
        return s.alerts().stream().findFirst();
    }

    /** The alert as published, without its evidence when that would not fit the column. */
    private static String payload(JsonNode alert) {
        String p = alert.toString();
        if (p.getBytes(StandardCharsets.UTF_8).length <= Incoming.MAX_PAYLOAD || !alert.isObject()) {
            return p;
        }
        ObjectNode cut = ((ObjectNode) alert).deepCopy();
        cut.remove("evidence");
        cut.put("reason", cut.path("reason").asText("").substring(0, Math.min(MAX_REASON,
                cut.path("reason").asText("").length())));
        return cut.toString();
    }

    /** At most {@code MAX_REASON} characters, never splitting a surrogate pair (PostgreSQL would mangle half of one). */
    static String cut(String reason) {
        if (reason.length() <= MAX_REASON) {
            return reason;
        }
        int end = MAX_REASON;
        if (Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--;
        }
        return reason.substring(0, end);
    }
}
