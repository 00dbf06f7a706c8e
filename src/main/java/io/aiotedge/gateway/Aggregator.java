package io.aiotedge.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.Topics;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-device summaries for constrained uplinks: min, max and mean of every feature over
 * {@code periodMillis} of telemetry, published on {@code aiot/v1/things/{id}/telemetry/agg}
 * (docs/frames.md). A period closes when a device's first message after it arrives (no timer:
 * a device that falls silent leaves its last partial period unsent). Not thread-safe; the
 * gateway calls it from its one processing thread. Memory: one small record per device.
 */
final class Aggregator {
    /** A closed period: topic and JSON payload. */
    record Summary(String topic, byte[] payload) {
    }

    private final long periodMillis;
    private final Map<String, Window> windows = new HashMap<>();
    private final Json json = Json.mapper();

    Aggregator(long periodMillis) {
        this.periodMillis = periodMillis;
    }

    /** Adds a message; returns the summary of the period it closed, or null. */
    Summary add(Telemetry t) {
        Window w = windows.get(t.deviceId());
        Summary closed = null;
        if (w != null && (t.timestampMillis() - w.from >= periodMillis || !w.names.equals(t.names()))) {
            closed = w.summary(t.deviceId());
            w = null;
        }
        if (w == null) {
            w = new Window(t.names(), t.timestampMillis());
            windows.put(t.deviceId(), w);
        }
        w.add(t);
        return closed;
    }

    private final class Window {
        final List<String> names;
        final long from;
        long to;
        int count;
        final double[] min;
        final double[] max;
        final double[] sum;

        Window(List<String> names, long from) {
            this.names = names;
            this.from = from;
            int n = names.size();
            min = new double[n];
            max = new double[n];
            sum = new double[n];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        void add(Telemetry t) {
            double[] v = t.values();
            for (int i = 0; i < v.length; i++) {
                min[i] = Math.min(min[i], v[i]);
                max[i] = Math.max(max[i], v[i]);
                sum[i] += v[i];
            }
            count++;
            to = Math.max(to, t.timestampMillis());
        }

        Summary summary(String deviceId) {
            ObjectNode n = json.createObjectNode().put("schema", 1).put("deviceId", deviceId).put("from", from)
                    .put("to", to).put("count", count);
            ObjectNode f = n.putObject("features");
            for (int i = 0; i < names.size(); i++) {
                f.putObject(names.get(i)).put("min", min[i]).put("max", max[i]).put("mean", sum[i] / count);
            }
            try {
                return new Summary(Topics.thingTelemetryAgg(deviceId), json.writeValueAsBytes(n));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
