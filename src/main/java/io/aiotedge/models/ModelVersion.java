package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One registered model version, as the API shows it.
 *
 * @param format {@code tflite} when the content is a TFLite flatbuffer, else {@code binary}
 * @param signature base64 Ed25519 over {@link ModelSigner#statement}
 * @param inputSchema {@code {"features": [names in order], "normalisation": {"mean": [..], "std": [..]}}}
 * @param aliases the aliases pointing at this version now
 */
public record ModelVersion(String name, int version, String sha256, long size, String fileName, String format,
                           String signature, JsonNode inputSchema, JsonNode quantization, JsonNode metrics,
                           JsonNode lineage, JsonNode tags, long createdAt, String createdBy, List<String> aliases) {
    public ModelVersion {
        aliases = List.copyOf(aliases);
    }
}
