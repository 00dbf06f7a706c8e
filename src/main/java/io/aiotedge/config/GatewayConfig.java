package io.aiotedge.config;

/**
 * The things-gateway ({@code gateway.*}): raw frames in, features out, over MQTT.
 *
 * @param host the broker whose raw frames it processes (this node's or a platform's)
 * @param port its port; 0 = this node's MQTT port
 * @param tls whether to connect with TLS (trusting {@code trust})
 * @param username the gateway's service user; empty = anonymous (demo only)
 * @param password that user's password
 * @param inFlight raw frames accepted but not yet answered with telemetry; the broker holds back
 *     the rest (MQTT receive maximum), so a slow gateway slows delivery instead of queueing
 * @param aggregateSeconds period of the per-device min/max/mean summaries on
 *     {@code .../telemetry/agg}; 0 = none
 * @param publishConnections MQTT connections its telemetry, summaries and dead letters go out on,
 *     each device always on the same one (order per device kept): the broker runs one client's
 *     publishes one at a time (through the bridge, one Kafka round trip each), so one connection
 *     caps the line; 1 = the subscribing connection publishes too
 * @param trust the node-wide {@code tls.*} trust its TLS connection uses
 */
public record GatewayConfig(String host, int port, boolean tls, String username, String password, int inFlight,
        int aggregateSeconds, int publishConnections, TrustConfig trust) {

    /** The same settings logged in as {@code username} (the node's own service user). */
    public GatewayConfig withCredentials(String username, String password) {
        return new GatewayConfig(host, port, tls, username, password, inFlight, aggregateSeconds, publishConnections,
                trust);
    }

    static GatewayConfig read(ConfigReader r, TrustConfig trust) {
        return new GatewayConfig(r.nonBlank("gateway.host"), r.port("gateway.port"), r.bool("gateway.tls"),
                r.string("gateway.username"), r.string("gateway.password"), r.integer("gateway.inFlight", 1, 65_535),
                r.integer("gateway.aggregateSeconds", 0, 86_400),
                r.integer("gateway.publishConnections", 1, 64), trust);
    }
}
