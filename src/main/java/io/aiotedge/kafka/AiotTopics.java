package io.aiotedge.kafka;

import java.util.List;

/** The Kafka topics of the architecture (DESIGN.md); record key = deviceId. */
public final class AiotTopics {
    public static final String TELEMETRY = "aiot.telemetry";
    public static final String RAW = "aiot.raw";
    public static final String ALERTS = "aiot.alerts";
    public static final String CONTROL = "aiot.control";
    public static final String MODELS = "aiot.models";
    public static final String DEADLETTER = "aiot.deadletter";
    public static final List<String> ALL = List.of(TELEMETRY, RAW, ALERTS, CONTROL, MODELS, DEADLETTER);

    private AiotTopics() {
    }
}
