package io.aiotedge.config;

/**
 * The broker's explicit limits ({@code mqtt.limits.*}); each one that is hit is counted in a
 * metric. Defaults are sized for a 4 GB board (see docs/configuration.md for the reasoning).
 *
 * @param maxPacketSize largest MQTT packet accepted, bytes; larger ones disconnect the client
 * @param maxConnections concurrent connections; more are refused
 * @param maxQueuedMessages per-client queue of messages awaiting delivery
 * @param queueOverflow what happens when that queue is full
 * @param messageExpirySeconds longest a queued message is kept
 * @param sessionExpirySeconds longest a disconnected persistent session is kept
 * @param inboundBytesPerSecond broker-wide read budget over all connections; past it the broker
 *     pauses reading sockets (TCP back-pressure, nothing dropped), 0 = unlimited
 * @param inboundMessagesPerSecond per-client publish rate for the {@code device} role; publishes
 *     past it are refused (QoS1: PUBACK 0x97 quota exceeded), 0 = unlimited
 * @param serverReceiveMaximum unacknowledged QoS1/2 publishes a client may have in flight
 * @param connectTimeoutSeconds a socket that has not completed CONNECT by then is closed
 * @param authFailureBurst failed logins allowed at once per source address and per user name
 *     (client id without one); past it connects are refused (0x9F) until the bucket refills; 0 = no limit
 * @param authFailuresPerMinute how fast that allowance refills
 * @param authQueue connects waiting for a password check; past it they are refused (0x89 server busy)
 */
public record MqttLimits(int maxPacketSize, int maxConnections, int maxQueuedMessages,
        QueueOverflow queueOverflow, long messageExpirySeconds, long sessionExpirySeconds,
        long inboundBytesPerSecond, int inboundMessagesPerSecond, int serverReceiveMaximum,
        int connectTimeoutSeconds, int authFailureBurst, int authFailuresPerMinute,
        int authQueue) {

    public enum QueueOverflow { DISCARD, DISCARD_OLDEST }

    static MqttLimits read(ConfigReader r) {
        return new MqttLimits(
                r.integer("maxPacketSize", 64, 268_435_455),
                r.integer("maxConnections", 1, 1_000_000),
                r.integer("maxQueuedMessages", 1, 10_000_000),
                r.enumValue("queueOverflow", QueueOverflow.class),
                r.longValue("messageExpirySeconds", 1, 4_294_967_295L),
                r.longValue("sessionExpirySeconds", 0, 4_294_967_295L),
                r.longValue("inboundBytesPerSecond", 0, Long.MAX_VALUE),
                r.integer("inboundMessagesPerSecond", 0, 10_000_000),
                r.integer("serverReceiveMaximum", 1, 65_535),
                r.integer("connectTimeoutSeconds", 1, 3600),
                r.integer("authFailureBurst", 0, 1_000_000),
                r.integer("authFailuresPerMinute", 1, 1_000_000),
                r.integer("authQueue", 1, 1_000_000));
    }
}
