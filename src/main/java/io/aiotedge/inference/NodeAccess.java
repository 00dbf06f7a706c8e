package io.aiotedge.inference;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.wire.ModelSignatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;

/**
 * How an inference node reaches the platform: its MQTT connection (broker, TLS, service user),
 * the key it trusts model signatures with, and the token it downloads models with, each from
 * {@code inference.*} or, on a node that also runs the platform, from the platform's own files.
 */
final class NodeAccess {
    private NodeAccess() {
    }

    static Mqtt5AsyncClient connect(InferenceConfig config, BoundPorts ports, String clientId) {
        int port = config.port() != 0 ? config.port() : ports.get("mqtt");
        if (port <= 0) {
            throw new IllegalStateException("inference.port is 0 but this node runs no broker: set inference.host and .port");
        }
        var b = Mqtt5Client.builder().identifier(clientId).serverHost(config.host()).serverPort(port)
                .automaticReconnectWithDefaultConfig();
        if (config.tls()) {
            b = b.sslWithDefaultConfig();
        }
        if (!config.username().isEmpty()) {
            b = b.simpleAuth().username(config.username()).password(config.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        Mqtt5AsyncClient c = b.buildAsync();
        try {
            c.connectWith().cleanStart(true).send().orTimeout(30, TimeUnit.SECONDS).join();
        } catch (java.util.concurrent.CompletionException e) {
            c.disconnect();
            throw new IllegalStateException("cannot connect to the broker at " + config.host() + ":" + port
                    + " as " + (config.username().isEmpty() ? "anonymous" : "'" + config.username() + "'")
                    + " within 30 s (check inference.host, .port, .username, .password): " + e.getCause(), e);
        }
        return c;
    }

    static PublicKey trustedKey(InferenceConfig config, Path dataDir) throws Exception {
        if (!config.publicKey().isBlank()) {
            return ModelSignatures.parsePublicKey(config.publicKey());
        }
        Path local = dataDir.resolve("keys/model-signing.pub");
        if (!Files.exists(local)) {
            throw new IllegalStateException("no model-signing key: set inference.publicKey (aiot-edge models pubkey)");
        }
        return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Files.readAllBytes(local)));
    }

    static String downloadToken(InferenceConfig config, Path dataDir) throws java.io.IOException {
        if (!config.token().isBlank()) {
            return config.token();
        }
        Path f = dataDir.resolve("keys/admin-token");
        return Files.exists(f) ? Files.readString(f).trim() : null;
    }
}
