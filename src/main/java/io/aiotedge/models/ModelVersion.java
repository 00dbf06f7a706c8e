package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.wire.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One registered model version, as the API shows it.
 *
 * @param format {@code tflite} when the content is a TFLite flatbuffer, else {@code binary}
 * @param signature base64 Ed25519 over {@link ModelSigner#statement} (name, version, hash, size)
 * @param metadataSignature base64 Ed25519 over the version's canonical metadata
 *     ({@link io.aiotedge.wire.ModelSignatures#metadataStatement}); null only before the registry
 *     re-signed a version registered by an older release
 * @param inputSchema {@code {"features": [names in order], "normalisation": {"mean": [..], "std": [..]}}}
 * @param aliases the aliases pointing at this version now
 * @param status {@code registered} or {@code rejected} (a rollout's bound broke, or an operator said so)
 * @param statusReason why it was rejected, else null
 * @param lineageId {@link #lineageIdOf} its lineage: what alerts carry to name the model's origin
 */
public record ModelVersion(String name, int version, String sha256, long size, String fileName, String format,
        String signature, String metadataSignature, JsonNode inputSchema, JsonNode quantization, JsonNode metrics,
        JsonNode lineage, JsonNode tags, long createdAt, String createdBy, List<String> aliases, String status,
        String statusReason, String lineageId) {
    public static final String REGISTERED = "registered";
    public static final String REJECTED = "rejected";

    public ModelVersion {
        aliases = List.copyOf(aliases);
    }

    /** A registered version; the lineage id is computed from {@code lineage}. */
    public ModelVersion(String name, int version, String sha256, long size, String fileName, String format,
            String signature, String metadataSignature, JsonNode inputSchema, JsonNode quantization, JsonNode metrics,
            JsonNode lineage, JsonNode tags, long createdAt, String createdBy, List<String> aliases) {
        this(name, version, sha256, size, fileName, format, signature, metadataSignature, inputSchema, quantization,
                metrics, lineage, tags, createdAt, createdBy, aliases, REGISTERED, null, lineageIdOf(lineage));
    }

    /** The first 16 hex digits of SHA-256 over the canonical JSON of {@code lineage}; null without one. */
    public static String lineageIdOf(JsonNode lineage) {
        if (lineage == null || lineage.isNull() || lineage.isMissingNode()) {
            return null;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(CanonicalJson.write(lineage).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return null;
        }
    }

    ModelVersion withMetadataSignature(String sig) {
        return new ModelVersion(name, version, sha256, size, fileName, format, signature, sig, inputSchema,
                quantization, metrics, lineage, tags, createdAt, createdBy, aliases, status, statusReason, lineageId);
    }

    ModelVersion withAliases(List<String> now) {
        return new ModelVersion(name, version, sha256, size, fileName, format, signature, metadataSignature,
                inputSchema, quantization, metrics, lineage, tags, createdAt, createdBy, now, status, statusReason,
                lineageId);
    }
}
