package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
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
 */
public record ModelVersion(String name, int version, String sha256, long size, String fileName, String format,
        String signature, String metadataSignature, JsonNode inputSchema, JsonNode quantization, JsonNode metrics,
        JsonNode lineage, JsonNode tags, long createdAt, String createdBy, List<String> aliases) {
    public ModelVersion {
        aliases = List.copyOf(aliases);
    }

    ModelVersion withMetadataSignature(String sig) {
        return new ModelVersion(name, version, sha256, size, fileName, format, signature, sig, inputSchema,
                quantization,
                metrics, lineage, tags, createdAt, createdBy, aliases);
    }
}
