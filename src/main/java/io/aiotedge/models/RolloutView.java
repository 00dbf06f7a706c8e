package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.wire.Json;
import java.time.Clock;
import java.util.List;

/**
 * The API's view of a rollout (docs/platform.md, "Rollouts"): the rollout, its clocks, its
 * evidence, per-version counts and history. The shadow evidence is live. The canary's is live
 * while the canary runs; once the judge moved it on, it is the evidence of that decision, frozen
 * in the history (the counts go on growing under {@code full}, which would misstate the canary's
 * rate), and it is left out for a rollout that never reached a canary or left it by hand.
 * Stateless; reads the stores on each call.
 */
final class RolloutView {
    private static final Json JSON = Json.mapper();

    private final RolloutStore store;
    private final NodeReports reports;
    private final CanaryCounts canary;
    private final Clock clock;

    RolloutView(RolloutStore store, NodeReports reports, CanaryCounts canary, Clock clock) {
        this.store = store;
        this.reports = reports;
        this.canary = canary;
        this.clock = clock;
    }

    ObjectNode of(Rollout r) {
        long now = clock.millis();
        ObjectNode n = JSON.valueToTree(r);
        n.remove("seq");
        n.remove("pausedAt");
        n.remove("final");
        n.put("elapsedMs", r.elapsedMs(now));
        List<Rollout.Event> history = store.events(r.id());
        ObjectNode evidence = n.putObject("evidence");
        evidence.set("shadow", RolloutJudge.shadowEvidence(reports.sums(r.id(), null)));
        JsonNode c = canaryEvidence(r, history, now);
        if (c != null) {
            evidence.set("canary", c);
        }
        n.set("perVersion", JSON.valueToTree(reports.perVersion(r.name(), r.id())));
        ArrayNode events = n.putArray("events");
        history.forEach(e -> events.add(JSON.valueToTree(e)));
        return n;
    }

    private JsonNode canaryEvidence(Rollout r, List<Rollout.Event> history, long now) {
        if (Rollout.CANARY.equals(r.stage())) {
            long[] window = RolloutJudge.canaryWindow(history, now);
            return RolloutJudge.canaryEvidence(r, canary.sinceCanaryStart(r.id(), r.version()),
                    reports.serving(r.name()), window[0], window[1]);
        }
        for (Rollout.Event e : history) {
            if (Rollout.CANARY.equals(e.from()) && !Rollout.CANARY.equals(e.to())) {
                return e.evidence() != null && e.evidence().has("deviceHours") ? e.evidence() : null;
            }
        }
        return null;
    }
}
