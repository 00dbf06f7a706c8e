package io.aiotedge.bridge;

import io.aiotedge.core.mqtt.InboundPublish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The Kafka headers the bridge writes; their contract is in docs/bridge.md. */
final class RecordHeaders {
    static final String MESSAGE_ID = "aiot.messageId";
    static final String TOPIC = "mqtt.topic";
    static final String QOS = "mqtt.qos";
    static final String CLIENT_ID = "mqtt.clientId";
    static final String RECEIVED_AT = "mqtt.receivedAt";
    static final String USER_PROPERTY_PREFIX = "mqtt.user.";
    static final String ERROR = "aiot.error";
    static final String INTENDED_TOPIC = "aiot.intendedTopic";
    static final String SOURCE = "aiot.source";
    /** The authenticated publisher (the broker's connection principal), never a client-supplied value. */
    static final String PRINCIPAL = "aiot.principal";
    static final String PRINCIPAL_ROLE = "aiot.principalRole";

    private RecordHeaders() {
    }

    static List<SpoolRecord.Header> of(InboundPublish p, String messageId) {
        List<SpoolRecord.Header> h = new ArrayList<>(7 + p.userProperties().size());
        h.add(header(MESSAGE_ID, messageId));
        h.add(header(TOPIC, p.topic()));
        h.add(header(QOS, Integer.toString(p.qos())));
        h.add(header(CLIENT_ID, p.clientId()));
        h.add(header(RECEIVED_AT, Long.toString(p.receivedAtMillis())));
        h.add(header(PRINCIPAL, p.principal().name()));
        h.add(header(PRINCIPAL_ROLE, p.principal().role().id()));
        for (InboundPublish.UserProperty u : p.userProperties()) {
            h.add(header(USER_PROPERTY_PREFIX + u.name(), u.value()));
        }
        return h;
    }

    static SpoolRecord.Header header(String name, String value) {
        return new SpoolRecord.Header(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
