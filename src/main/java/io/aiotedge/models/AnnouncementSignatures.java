package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.AnnouncementVerifier;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.ModelSignatures;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The downlink's check of a model announcement: it must be the JSON {@link Announcer#body} with a
 * signature that verifies with this node's model-signing public key
 * ({@code <dataDir>/keys/model-signing.pub}, read on first use, after the registry made it), and
 * its name must be the record key, so a signed announcement cannot be retained under another
 * model's topic. Both of the registry's signatures must verify: the v1 {@link ModelSigner#statement}
 * devices check and the metadata signature inference nodes check
 * ({@link ModelSignatures#metadataStatement}), so the downlink forwards only what every consumer
 * would accept. Thread-safe.
 */
public final class AnnouncementSignatures implements AnnouncementVerifier {
    private static final Json JSON = Json.mapper();
    private static final int MAX_BYTES = 256 * 1024;

    private final KeyFiles keys;
    private volatile PublicKey key;

    /** @param dataDir the node's data directory (the key is under {@code keys/}) */
    public AnnouncementSignatures(Path dataDir) {
        this.keys = new KeyFiles(dataDir);
    }

    @Override
    public Optional<String> reject(String recordKey, byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_BYTES) {
            return Optional.of("model announcement is empty or larger than " + MAX_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            return Optional.of("model announcement is not JSON");
        }
        if (n == null || !n.isObject() || !n.path("name").isTextual() || !n.path("version").canConvertToInt()
                || !n.path("sha256").isTextual() || !n.path("size").isIntegralNumber()
                || !n.path("signature").isTextual()) {
            return Optional.of("model announcement lacks name, version, sha256, size or signature");
        }
        String name = n.get("name").asText();
        if (!name.equals(recordKey)) {
            return Optional.of("model announcement names '" + name + "' but the record key is '" + recordKey + "'");
        }
        PublicKey k;
        try {
            k = publicKey();
        } catch (IOException | GeneralSecurityException e) {
            return Optional.of("this node has no model-signing public key to verify with ("
                    + keys.signingPublicKey() + ": " + e.getMessage() + ")");
        }
        byte[] statement = ModelSigner.statement(name, n.get("version").asInt(), n.get("sha256").asText(),
                n.get("size").asLong());
        if (!ModelSigner.verify(k, statement, n.get("signature").asText())) {
            return Optional.of("model announcement signature does not verify with this node's model-signing key");
        }
        if (!n.path("metadataSignature").isTextual() || !verifiesMetadata(k, n)) {
            return Optional
                    .of("model announcement metadata signature does not verify with this node's model-signing key");
        }
        return Optional.empty();
    }

    /**
     * A rollout message: JSON with {@code rolloutId}, {@code stage}, {@code seq}, {@code targeting}
     * and a {@code candidate} that passes {@link #reject} as an announcement of the same model, and
     * a {@code signature} over {@link ModelSignatures#rolloutStatement(JsonNode)}.
     */
    @Override
    public Optional<String> rejectRollout(String recordKey, byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_BYTES) {
            return Optional.of("rollout message is empty or larger than " + MAX_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            return Optional.of("rollout message is not JSON");
        }
        if (n == null || !n.isObject() || !n.path("rolloutId").isTextual() || !n.path("stage").isTextual()
                || !n.path("seq").isIntegralNumber() || !n.path("targeting").isObject()
                || !n.path("candidate").isObject() || !n.path("signature").isTextual()) {
            return Optional.of("rollout message lacks rolloutId, stage, seq, targeting, candidate or signature");
        }
        if (!n.path("name").asText().equals(recordKey)) {
            return Optional.of("rollout message names '" + n.path("name").asText() + "' but the record key is '"
                    + recordKey + "'");
        }
        Optional<String> candidate = reject(recordKey, n.get("candidate").toString().getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        if (candidate.isPresent()) {
            return Optional.of("rollout candidate: " + candidate.get());
        }
        try {
            if (!ModelSigner.verify(publicKey(), ModelSignatures.rolloutStatement(n), n.get("signature").asText())) {
                return Optional.of("rollout message signature does not verify with this node's model-signing key");
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of("rollout message cannot be verified: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean verifiesMetadata(PublicKey k, JsonNode n) {
        try {
            return ModelSigner.verify(k, ModelSignatures.metadataStatement(n), n.get("metadataSignature").asText());
        } catch (IllegalArgumentException e) { // not canonicalisable: too deep, or a number that is not finite
            return false;
        }
    }

    private PublicKey publicKey() throws IOException, GeneralSecurityException {
        PublicKey k = key;
        if (k == null) {
            k = ModelSigner.readPublicKey(keys);
            key = k;
        }
        return k;
    }
}
