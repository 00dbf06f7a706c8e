package io.aiotedge.inference;

import io.aiotedge.clients.MqttConnector;
import io.aiotedge.clients.MqttSession;
import io.aiotedge.clients.MqttSettings;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ConfigException;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.PlatformLink;
import io.aiotedge.wire.ModelSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;

/**
 * How an inference node reaches the platform: its MQTT connection (broker, TLS, service user),
 * the key it trusts model signatures with, and the token it downloads models with, each from
 * {@code inference.*} or, on a node that also runs the platform, from the platform's own files.
 */
final class NodeAccess {
    private NodeAccess() {
    }

    /**
     * Connects to {@code inference.host}/{@code .port} (0: this node's broker); credentials the
     * broker refuses are a {@link ConfigException} naming the key.
     */
    static MqttSession connect(InferenceConfig config, BoundPorts ports, String clientId) {
        return new MqttConnector(MqttSettings.of(config, ports.get("mqtt"))).connect(clientId);
    }

    static PublicKey trustedKey(InferenceConfig config, Path dataDir) throws Exception {
        if (!config.publicKey().isBlank()) {
            try {
                return ModelSignatures.parsePublicKey(config.publicKey());
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new ConfigException("inference.publicKey: not an Ed25519 public key (raw base64 or PEM): "
                        + e.getMessage());
            }
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
