package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.tflite.ModelFormatException;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.ModelSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Set;

/**
 * The retained rollout message on {@code aiot/v1/models/{name}/rollout} (docs/platform.md,
 * "Rollouts"), checked field by field: the stage, the candidate's announcement, the targeting, and
 * the registry's signature over
 * {@code aiot-rollout-v1\n<name>\n<rolloutId>\n<seq>\n<version>\n<sha256>\n<stage>\n<targetingSha>\n}.
 */
record RolloutMessage(String rolloutId, String name, String stage, long seq, Announcement candidate,
        Targeting targeting, JsonNode targetingJson, String signature) {
    private static final Json JSON = Json.mapper();
    static final Set<String> ACTIVE = Set.of("shadow", "canary", "full");
    static final Set<String> FINAL = Set.of("rolled-back", "aborted", "completed");

    static RolloutMessage parse(byte[] payload) throws ModelFormatException {
        if (payload.length > Announcement.MAX_BYTES * 4) {
            throw new ModelFormatException("rollout message of " + payload.length + " bytes is too large");
        }
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw new ModelFormatException("rollout message is not JSON");
        }
        if (n == null || !n.isObject() || n.path("schemaVersion").asInt() != 1) {
            throw new ModelFormatException("rollout message is not a schemaVersion 1 object");
        }
        String id = n.path("rolloutId").asText("");
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ModelFormatException("rollout message lacks a rolloutId");
        }
        String stage = n.path("stage").asText("");
        if (!ACTIVE.contains(stage) && !FINAL.contains(stage)) {
            throw new ModelFormatException("rollout stage '" + stage + "' is not one of " + ACTIVE + " or " + FINAL);
        }
        if (!n.path("seq").isIntegralNumber() || n.path("seq").asLong() < 0
                || n.path("seq").asLong() > Integer.MAX_VALUE) {
            throw new ModelFormatException("rollout message lacks seq");
        }
        if (!n.path("candidate").isObject() || !n.path("signature").isTextual()) {
            throw new ModelFormatException("rollout message lacks candidate or signature");
        }
        Announcement a = Announcement.parse(n.get("candidate").toString().getBytes(StandardCharsets.UTF_8));
        JsonNode t = n.path("targeting");
        return new RolloutMessage(id, n.path("name").asText(""), stage, n.get("seq").asLong(), a,
                Targeting.parse(t, id), t.isObject() ? t : JSON.createObjectNode(), n.get("signature").asText());
    }

    /** The registry's signature verifies and names the same model as the candidate. */
    boolean verifies(PublicKey key) {
        if (!name.equals(candidate.name())) {
            return false;
        }
        try {
            return ModelSignatures.verify(key, statement(), signature);
        } catch (IllegalArgumentException e) { // targeting not canonicalisable
            return false;
        }
    }

    byte[] statement() {
        return ModelSignatures.rolloutStatement(name, rolloutId, (int) seq, candidate.version(), candidate.sha256(),
                stage, ModelSignatures.targetingSha(targetingJson));
    }

    boolean active() {
        return ACTIVE.contains(stage);
    }
}
