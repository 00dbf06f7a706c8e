package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.tflite.ModelFormatException;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.ModelSignatures;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A model announcement as the registry publishes it on {@code aiot/v1/models/{name}/latest}
 * (docs/platform.md), checked field by field. Its {@code url} and {@code path} are not used: a
 * node fetches models only from its configured platform ({@code inference.platformUrl}), so a
 * forged announcement cannot send the node's token elsewhere.
 *
 * @param rollbackSupersedes the newest version a signed rollback replaces; 0 when not a rollback
 */
record Announcement(String name, int version, String sha256, long size, String metadataSignature,
        List<String> features, int rollbackSupersedes, String rollbackSignature, JsonNode json) {
    private static final Json JSON = Json.mapper();
    /** The registry's model-name rule; the name also becomes part of a file name here. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_BYTES = 256 * 1024;

    static Announcement parse(byte[] payload) throws ModelFormatException {
        if (payload.length > MAX_BYTES) {
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
        String name = text(n, "name");
        if (!NAME.matcher(name).matches()) {
            throw new ModelFormatException("announcement name is not a model name (a-z 0-9 . _ -, at most 64)");
        }
        String sha = text(n, "sha256");
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new ModelFormatException("announcement sha256 is not 64 hex digits");
        }
        JsonNode v = n.get("version");
        JsonNode size = n.get("size");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || size == null
                || !size.isIntegralNumber() || size.asLong() < 1) {
            throw new ModelFormatException("announcement lacks a valid version or size");
        }
        JsonNode f = n.path("inputSchema").path("features");
        List<String> features = new ArrayList<>();
        if (!f.isArray() || f.isEmpty()) {
            throw new ModelFormatException("announcement lacks inputSchema.features");
        }
        f.forEach(x -> features.add(x.asText()));
        JsonNode rb = n.path("rollback");
        int supersedes = 0;
        String rbSig = null;
        if (!rb.isMissingNode()) {
            if (!rb.path("supersedes").canConvertToInt() || rb.path("supersedes").asInt() < 1
                    || !rb.path("signature").isTextual()) {
                throw new ModelFormatException("announcement rollback needs supersedes and signature");
            }
            supersedes = rb.get("supersedes").asInt();
            rbSig = rb.get("signature").asText();
        }
        return new Announcement(name, v.asInt(), sha, size.asLong(), text(n, "metadataSignature"),
                List.copyOf(features), supersedes, rbSig, n);
    }

    private static String text(JsonNode n, String field) throws ModelFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ModelFormatException("announcement lacks " + field);
        }
        return v.asText();
    }

    /**
     * The registry's lineage id (16 hex), or null. It lies outside the signed fields, so it is
     * informational (alerts carry it) and never decides what is installed.
     */
    String lineageId() {
        String id = json.path("lineageId").asText("");
        return id.matches("[0-9a-f]{16}") ? id : null;
    }

    /** The registry signed this version's metadata (name, version, hash, size, format, schema, quantization). */
    boolean metadataVerifies(PublicKey key) {
        try {
            return ModelSignatures.verify(key, ModelSignatures.metadataStatement(json), metadataSignature);
        } catch (IllegalArgumentException e) { // not canonicalisable (too deep, not finite)
            return false;
        }
    }

    /** A signed rollback that replaces {@code served}. */
    boolean rollbackSupersedes(PublicKey key, int served) {
        return rollbackSignature != null && rollbackSupersedes >= served && ModelSignatures.verify(key,
                ModelSignatures.rollbackStatement(name, version, sha256, rollbackSupersedes), rollbackSignature);
    }
}
