package io.aiotedge.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.ModelSignatures;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Builds and sends the signed, retained rollout message (docs/platform.md, "The rollout message"):
 * the candidate's announcement body, the targeting, and the registry's signature over
 * {@link ModelSignatures#rolloutStatement}. Holds no state of its own.
 */
final class RolloutMessages {
    private static final Json JSON = Json.mapper();

    private final Announcer announcer;
    private final Supplier<String> baseUrl;
    private final RegistryKey key;

    RolloutMessages(Announcer announcer, Supplier<String> baseUrl, RegistryKey key) {
        this.announcer = announcer;
        this.baseUrl = baseUrl;
        this.key = key;
    }

    ObjectNode message(Rollout r, ModelVersion candidate) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schemaVersion", 1);
        n.put("rolloutId", r.id());
        n.put("name", r.name());
        n.put("stage", r.stage());
        n.put("seq", r.seq());
        if (r.fromVersion() == null) {
            n.putNull("fromVersion");
        } else {
            n.put("fromVersion", r.fromVersion());
        }
        n.set("candidate", Announcer.body(candidate, "candidate", baseUrl.get(), null));
        n.set("targeting", r.targeting());
        byte[] statement = ModelSignatures.rolloutStatement(r.name(), r.id(), r.seq(), candidate.version(),
                candidate.sha256(), r.stage(), ModelSignatures.targetingSha(r.targeting()));
        n.put("signedStatement", new String(statement, StandardCharsets.UTF_8));
        n.put("signature", key.running().sign(statement));
        return n;
    }

    CompletableFuture<Void> send(Rollout r, ModelVersion candidate) {
        return announcer.announceRollout(r.name(), message(r, candidate).toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The alert of a rolled-back rollout ({@code type: rollout-rolled-back}), as it goes out on the
     * model's events topic and into the platform's alert history.
     */
    static ObjectNode rolledBack(Rollout r, Rollout.Event e) {
        ObjectNode alert = JSON.createObjectNode().put("type", "rollout-rolled-back").put("model", r.name())
                .put("modelVersion", r.version()).put("rolloutId", r.id()).put("from", e.from())
                .put("decidedBy", e.actor()).put("reason", e.reason()).put("timestamp", e.at());
        alert.set("evidence", e.evidence());
        return alert;
    }

    CompletableFuture<Void> event(String name, ObjectNode event) {
        return announcer.announceEvent(name, event.toString().getBytes(StandardCharsets.UTF_8));
    }
}
