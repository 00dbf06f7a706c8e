package io.aiotedge.core;

import java.util.List;

/**
 * Where components report what the console shows live: each decoded telemetry window, each
 * score, each stored alert. Called on the producers' threads (the ingest, the scorer, the alerts
 * consumer), so an implementation must only record, in O(1), and never block: slow readers are
 * its own problem, never the producer's. The default methods do nothing ({@link #NONE}).
 */
public interface LiveFeed {
    LiveFeed NONE = new LiveFeed() {
    };

    /** A telemetry window of {@code deviceId}: feature names and values at {@code ts} (epoch ms). */
    default void telemetry(String deviceId, long ts, List<String> names, double[] values) {
    }

    /** A score of {@code deviceId}'s window at {@code ts}, its condition band, and the model that scored it. */
    default void score(String deviceId, long ts, double score, String band, String model, int version) {
    }

    /** An alert stored for {@code deviceId} ({@code alert} is its JSON view). */
    default void alert(String deviceId, Object alert) {
    }
}
