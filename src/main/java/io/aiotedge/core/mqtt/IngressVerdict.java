package io.aiotedge.core.mqtt;

/**
 * What the broker does with a publish after an {@link MqttIngress} took it.
 *
 * @param outcome the decision
 * @param reason one line for the client (MQTT 5 reason string) and the log; empty on {@code ACCEPTED}
 */
public record IngressVerdict(Outcome outcome, String reason) {

    public enum Outcome {
        /** Stored durably (or, at QoS 0, handed on): acknowledge and deliver to subscribers. */
        ACCEPTED,
        /**
         * The payload is unacceptable and was kept in the dead-letter topic: MQTT 5 clients get
         * PUBACK 0x99 (payload format invalid); MQTT 3 clients, which cannot be told, get a plain
         * PUBACK so they do not resend it forever. Not delivered to subscribers.
         */
        DEAD_LETTERED,
        /**
         * Not stored, the client should retry later (store-and-forward full): MQTT 5 clients get
         * PUBACK 0x97 (quota exceeded); MQTT 3 clients are disconnected, so they resend.
         */
        REFUSED_RETRY,
        /** Not stored because of an internal error: PUBACK 0x80, MQTT 3 clients are disconnected. */
        FAILED
    }

    private static final IngressVerdict ACCEPT = new IngressVerdict(Outcome.ACCEPTED, "");

    public static IngressVerdict accepted() {
        return ACCEPT;
    }

    public static IngressVerdict deadLettered(String reason) {
        return new IngressVerdict(Outcome.DEAD_LETTERED, reason);
    }

    public static IngressVerdict refusedRetry(String reason) {
        return new IngressVerdict(Outcome.REFUSED_RETRY, reason);
    }

    public static IngressVerdict failed(String reason) {
        return new IngressVerdict(Outcome.FAILED, reason);
    }
}
