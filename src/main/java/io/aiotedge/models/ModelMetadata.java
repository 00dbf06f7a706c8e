package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.Rejection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What comes with an upload besides the bytes. Validated on construction; each problem names its
 * field ({@code inputSchema.features[2]}, ...).
 *
 * @param fileName the name devices fetch it by; null = {@code <name>-v<version>.tflite}
 */
public record ModelMetadata(JsonNode inputSchema, JsonNode quantization, JsonNode metrics, JsonNode lineage,
        JsonNode tags, String fileName) {
    public static final int MAX_FEATURES = 1024;

    public ModelMetadata {
        inputSchema = validSchema(inputSchema);
        quantization = objectOrEmpty("quantization", quantization);
        metrics = objectOrEmpty("metrics", metrics);
        lineage = objectOrEmpty("lineage", lineage);
        tags = validTags(tags);
        if (fileName != null && !fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw Rejection.invalid("fileName", "must be 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit");
        }
    }

    /** Parses the API's metadata object: {@code inputSchema} required, the rest optional. */
    public static ModelMetadata fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw Rejection.invalid("metadata", "must be a JSON object");
        }
        JsonNode fn = n.get("fileName");
        if (fn != null && !fn.isNull() && !fn.isTextual()) {
            throw Rejection.invalid("fileName", "must be a string");
        }
        return new ModelMetadata(n.get("inputSchema"), n.get("quantization"), n.get("metrics"), n.get("lineage"),
                n.get("tags"), fn == null || fn.isNull() ? null : fn.asText());
    }

    private static JsonNode validSchema(JsonNode s) {
        if (s == null || s.isNull()) {
            throw Rejection.invalid("inputSchema", "is required: {\"features\": [\"name\", ...]}");
        }
        if (!s.isObject()) {
            throw Rejection.invalid("inputSchema", "must be an object");
        }
        JsonNode f = s.get("features");
        if (f == null || !f.isArray() || f.isEmpty() || f.size() > MAX_FEATURES) {
            throw Rejection.invalid("inputSchema.features", "must be a list of 1-" + MAX_FEATURES + " feature names");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < f.size(); i++) {
            JsonNode x = f.get(i);
            if (!x.isTextual() || x.asText().isBlank() || x.asText().length() > 128 || !seen.add(x.asText())) {
                throw Rejection.invalid("inputSchema.features[" + i + "]", "must be a unique non-empty name");
            }
        }
        JsonNode norm = s.get("normalisation");
        if (norm != null && !norm.isNull()) {
            for (String k : new String[] {"mean", "std"}) {
                JsonNode a = norm.get(k);
                if (a == null || !a.isArray() || a.size() != f.size()) {
                    throw Rejection.invalid("inputSchema.normalisation." + k, "must list " + f.size() + " numbers");
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!a.get(i).isNumber() || !Double.isFinite(a.get(i).asDouble())
                            || k.equals("std") && a.get(i).asDouble() <= 0) {
                        throw Rejection.invalid("inputSchema.normalisation." + k + "[" + i + "]",
                                k.equals("std") ? "must be a positive number" : "must be a finite number");
                    }
                }
            }
        }
        return s;
    }

    private static JsonNode objectOrEmpty(String field, JsonNode n) {
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw Rejection.invalid(field, "must be an object");
        }
        return n;
    }

    private static JsonNode validTags(JsonNode n) {
        ObjectNode out = (ObjectNode) objectOrEmpty("tags", n);
        if (out.size() > 64) {
            throw Rejection.invalid("tags", "must have at most 64 entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = out.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual() || e.getKey().length() > 64 || e.getValue().asText().length() > 256) {
                throw Rejection.invalid("tags." + e.getKey(), "must be a string of at most 256 characters");
            }
        }
        return out;
    }
}
