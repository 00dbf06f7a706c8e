package io.aiotedge.clients;

import io.aiotedge.config.GatewayConfig;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.config.SimulatorConfig;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.ConfigException;

/**
 * How one role reaches its MQTT broker, read from that role's {@code <role>.host}, {@code .port},
 * {@code .tls}, {@code .username} and {@code .password} in one place.
 *
 * @param role the config prefix these settings come from, named in every error
 * @param host the broker's host
 * @param port the broker's port, resolved (never 0: 0 in config means this node's broker)
 * @param tls whether to connect with TLS, trusting {@code trust}
 * @param username the service user; empty = anonymous
 * @param password that user's password (never in {@link #toString()})
 * @param trust {@code tls.*}: whom a TLS connection trusts (the JVM's trust store when unset)
 */
public record MqttSettings(String role, String host, int port, boolean tls, String username, String password,
        TrustConfig trust) {

    /** Settings trusting the JVM's trust store. */
    public MqttSettings(String role, String host, int port, boolean tls, String username, String password) {
        this(role, host, port, tls, username, password, TrustConfig.JVM);
    }

    /** @param nodePort this node's MQTT port, used when {@code gateway.port} is 0 (below 1: none) */
    public static MqttSettings of(GatewayConfig c, int nodePort) {
        return resolve("gateway", c.host(), c.port(), c.tls(), c.username(), c.password(), nodePort, c.trust());
    }

    /** @param nodePort this node's MQTT port, used when {@code simulator.port} is 0 (below 1: none) */
    public static MqttSettings of(SimulatorConfig c, int nodePort) {
        return resolve("simulator", c.host(), c.port(), c.tls(), c.username(), c.password(), nodePort, c.trust());
    }

    /** @param nodePort this node's MQTT port, used when {@code inference.port} is 0 (below 1: none) */
    public static MqttSettings of(InferenceConfig c, int nodePort) {
        return resolve("inference", c.host(), c.port(), c.tls(), c.username(), c.password(), nodePort, c.trust());
    }

    private static MqttSettings resolve(String role, String host, int port, boolean tls, String username,
            String password, int nodePort, TrustConfig trust) {
        int resolved = port != 0 ? port : nodePort;
        if (resolved <= 0) {
            throw new ConfigException(role + ".port: 0 means this node's broker, but it runs none: set " + role
                    + ".host and .port");
        }
        return new MqttSettings(role, host, resolved, tls, username, password, trust);
    }

    /** Whether a user logs in (else the connection is anonymous). */
    public boolean authenticated() {
        return !username.isEmpty();
    }

    /** {@code 'name'} or {@code anonymous}, for messages. */
    String who() {
        return authenticated() ? "'" + username + "'" : "anonymous";
    }

    @Override
    public String toString() {
        return "MqttSettings[" + role + ": " + host + ":" + port + (tls ? " tls" : "") + " as " + who() + "]";
    }
}
