package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model announcement as the registry publishes it on {@code aiot/v1/models/{name}/latest}
 * (docs/platform.md), checked field by field.
 */
record Announcement(String name, int version, String sha256, long size, String url, String path, String signature,
                    List<String> features) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Announcement parse(byte[] payload) throws ModelFormatException {
        if (payload.length > 256 * 1024) {
            throw new ModelFormatException("announcement of " + payload.length + " bytes is too large");
        }
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw new ModelFormatException("announcement is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new ModelFormatException("announcement is not a JSON object");
        }
        String sha = text(n, "sha256");
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new ModelFormatException("announcement sha256 is not 64 hex digits");
        }
        JsonNode v = n.get("version");
        JsonNode size = n.get("size");
        if (v == null || !v.canConvertToInt() || v.asInt() < 1 || size == null || !size.isIntegralNumber()
                || size.asLong() < 1) {
            throw new ModelFormatException("announcement lacks a valid version or size");
        }
        JsonNode f = n.path("inputSchema").path("features");
        List<String> features = new ArrayList<>();
        if (!f.isArray() || f.isEmpty()) {
            throw new ModelFormatException("announcement lacks inputSchema.features");
        }
        f.forEach(x -> features.add(x.asText()));
        return new Announcement(text(n, "name"), v.asInt(), sha, size.asLong(), text(n, "url"), text(n, "path"),
                text(n, "signature"), List.copyOf(features));
    }

    private static String text(JsonNode n, String field) throws ModelFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ModelFormatException("announcement lacks " + field);
        }
        return v.asText();
    }

    /** The statement the registry signed. */
    byte[] statement() {
        return io.aiotedge.wire.ModelSignatures.statement(name, version, sha256, size);
    }
}
