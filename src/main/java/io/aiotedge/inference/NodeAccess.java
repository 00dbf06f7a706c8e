package io.aiotedge.inference;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ConfigException;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.PlatformLink;
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
            throw new ConfigException("inference.port: 0 means this node's broker, but it runs none: set inference.host and .port");
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
        Path local = new KeyFiles(dataDir).signingPublicKey();
        if (!Files.exists(local)) {
            throw new ConfigException("inference.publicKey: required on a node without the platform role "
                    + "(aiot-edge models pubkey)");
        }
        return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Files.readAllBytes(local)));
    }

    /** {@code inference.token}, else the platform's per-start download token on this node; never the admin token. */
    static String downloadToken(InferenceConfig config, PlatformLink local) {
        if (!config.token().isBlank()) {
            return config.token();
        }
        if (local == null) {
            throw new ConfigException("inference.token: required on a node without the platform role "
                    + "(a model-download token from 'aiot-edge nodes provision <id>')");
        }
        return local.downloadToken().get();
    }

    /** {@code inference.platformUrl}, else this node's own API. */
    static String platformUrl(InferenceConfig config, PlatformLink local) {
        if (!config.platformUrl().isBlank()) {
            return config.platformUrl();
        }
        if (local == null) {
            throw new ConfigException("inference.platformUrl: required on a node without the platform role "
                    + "(e.g. https://platform.plant.local:8443)");
        }
        return local.url().get();
    }
}
