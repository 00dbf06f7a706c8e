package io.aiotedge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.support.ManualClock;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.ModelSignatures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged rollouts on a real registry and H2 with a manual clock: stages move on the summed node
 * reports, a broken bound rolls back with the reason, and a platform restarted in the middle of a
 * canary keeps the stage and its clocks and then decides as it would have.
 */
class RolloutControllerTest {
    private static final Json JSON = Json.mapper();
    private static final long T0 = 1_795_700_000_000L;

    @TempDir
    Path dir;

    private static RolloutController.Request canaryOn(int version, String device) {
        return new RolloutController.Request(version, true, List.of(device), null, null, "test");
    }

    /** A node report of {@code node}: candidate loaded, one device served by {@code servedBy}. */
    private static ObjectNode report(String rolloutId, int champion, int candidate, String device, int servedBy,
            long windows, long candidateAlerts) {
        ObjectNode r = JSON.createObjectNode().put("schemaVersion", 1).put("session", "s1").put("model", "motor");
        r.putObject("serving").put("champion", champion).put("candidate", candidate).put("rolloutId", rolloutId)
                .put("stage", "canary").put("candidateState", "loaded").put("detail", "").put("loadFailures", 0);
        r.putArray("devices").addObject().put("device", device).put("servedBy", servedBy).put("windows", windows)
                .put("agree", windows).put("candidateAlerts", candidateAlerts).put("championAlerts", 0);
        return r;
    }

    @Test
    void restartMidCanary_keepsStageAndClocks_thenPromotesWhenTheCanaryTimeIsUp() throws Exception {
        ManualClock clock = new ManualClock(T0);
        Rollout started;
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            f.championAndCandidate("motor");
            RolloutController c = f.controller(RegistryFixture.config(0, List.of("motor-001"), 30));
            started = c.start("motor", canaryOn(2, "motor-001"), "admin");
            assertEquals(Rollout.CANARY, started.stage());
            assertEquals(List.of("candidate"), f.registry.get("motor", 2).aliases());
            clock.advanceMillis(10 * 60_000);
            c.reports().record("node-a", report(started.id(), 1, 2, "motor-001", 2, 3000, 0), clock.millis());
            c.pause("motor", started.id(), "admin");
            clock.advanceMillis(5 * 60_000); // paused: does not count
            c.resume("motor", started.id(), "admin");
            c.tick();
            assertEquals(Rollout.CANARY, c.find("motor", started.id()).stage());
            c.stop();
        }
        clock.advanceMillis(60_000); // the platform is down for a minute
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            RolloutController c = f.controller(RegistryFixture.config(0, List.of("motor-001"), 30));
            Rollout after = c.find("motor", started.id());
            assertEquals(Rollout.CANARY, after.stage());
            assertEquals(started.stageStartedAt(), after.stageStartedAt());
            assertEquals(5 * 60_000, after.pausedMs());
            assertEquals(11 * 60_000, after.elapsedMs(clock.millis()));
            c.reports().record("node-a", report(started.id(), 1, 2, "motor-001", 2, 9000, 0), clock.millis());
            c.tick();
            assertEquals(Rollout.CANARY, c.find("motor", started.id()).stage(), "19 of 30 minutes to go");
            clock.advanceMillis(19 * 60_000);
            c.reports().record("node-a", report(started.id(), 1, 2, "motor-001", 2, 12000, 0), clock.millis());
            c.tick();
            Rollout full = c.find("motor", started.id());
            assertEquals(Rollout.FULL, full.stage());
            assertEquals(RolloutController.ACTOR, full.decidedBy());
            assertEquals(2, f.registry.aliases("motor").get("champion"));
            assertEquals(1, f.registry.aliases("motor").get("previous"));
            clock.advanceMillis(10_000);
            c.reports().record("node-a", report(started.id(), 2, 2, "motor-001", 2, 12000, 0), clock.millis());
            c.tick();
            assertEquals(Rollout.COMPLETED, c.find("motor", started.id()).stage());
            List<String> stages = c.view(c.find("motor", started.id())).get("events").findValuesAsText("to");
            assertEquals(List.of("canary", "canary", "canary", "full", "completed"), stages);
            c.stop();
        }
    }

    @Test
    void restartMidCanary_thenTheAlertRateBreaks_rollsBackRejectsAndClearsTheCandidate() throws Exception {
        ManualClock clock = new ManualClock(T0);
        String id;
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            f.championAndCandidate("motor");
            RolloutController before = f.controller(RegistryFixture.config(0, List.of("motor-001"), 30));
            id = before.start("motor", canaryOn(2, "motor-001"), "admin").id();
            before.stop();
        }
        clock.advanceMillis(6 * 60_000);
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            RolloutController c = f.controller(RegistryFixture.config(0, List.of("motor-001"), 30));
            // 1 alert in 0.1 device-hours = 10 per device-hour > 2.0 x max(0, 1.0)
            c.reports().record("node-a", report(id, 1, 2, "motor-001", 2, 300, 1), clock.millis());
            c.tick();
            Rollout r = c.find("motor", id);
            assertEquals(Rollout.ROLLED_BACK, r.stage());
            assertTrue(r.reason().startsWith("canary bound rollout.canary.maxAlertRateFactor broken: 10.00 alerts"),
                    r.reason());
            ModelVersion v2 = f.registry.get("motor", 2);
            assertEquals(ModelVersion.REJECTED, v2.status());
            assertTrue(v2.statusReason().contains("maxAlertRateFactor"), v2.statusReason());
            assertEquals(List.of(), v2.aliases());
            assertEquals(1, f.registry.aliases("motor").get("champion"));
            assertEquals(1.0, f.meters.get("aiot_models_rollouts_total").tag("result", "rolled-back").counter()
                    .count());
            assertThrows(Rejection.class, () -> c.start("motor", canaryOn(2, "motor-001"), "admin"),
                    "a rejected version is not rolled out again");
            List<io.aiotedge.alerts.Alert> stored = f.alerts.list(null, null, false, null, 50).alerts();
            assertEquals(1, stored.size(), "the rollback is in the alert history, open");
            io.aiotedge.alerts.Alert a = stored.get(0);
            assertEquals(List.of("rollout-rolled-back", "motor", "2", id, r.reason()), List.of(a.type(),
                    a.modelName(), "" + a.modelVersion(), a.rolloutId(), a.reason()));
            assertNull(a.deviceId());
            assertEquals(v2.lineageId(), a.lineageId(), "the rejected version's lineage");
            c.stop();
        }
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            RolloutController c = f.controller(RegistryFixture.config(0, List.of("motor-001"), 30));
            assertEquals(1, f.alerts.list(null, null, null, null, 50).alerts().size(),
                    "offered again at start, stored once");
            c.stop();
        }
    }

    @Test
    void aLongShadowThenACanary_countsTheAlertRateFromTheCanaryStart_soABadCanaryTripsTheBound() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            f.championAndCandidate("motor");
            RolloutController c = f.controller(RegistryFixture.config(200, List.of("motor-001"), 30));
            Rollout r = c.start("motor", new RolloutController.Request(2, false, null, null, null, null), "pipeline");
            assertEquals(Rollout.SHADOW, r.stage());
            clock.advanceMillis(48 * 3_600_000L); // two days of shadow; the candidate would have alerted 3 times
            c.reports().record("node-a", report(r.id(), 1, 2, "motor-001", 1, 300, 3), clock.millis());
            c.tick();
            Rollout canary = c.find("motor", r.id());
            assertEquals(Rollout.CANARY, canary.stage());
            assertEquals(clock.millis(), canary.stageStartedAt());
            clock.advanceMillis(6 * 60_000);
            // the device is now served by the candidate; its cumulative counts still hold the shadow's 3
            c.reports().record("node-a", report(r.id(), 1, 2, "motor-001", 2, 310, 3), clock.millis());
            c.tick();
            assertEquals(Rollout.CANARY, c.find("motor", r.id()).stage(), "no alert since the canary began");
            JsonNode e = c.view(c.find("motor", r.id())).get("evidence").get("canary");
            assertEquals(0, e.get("candidateAlerts").asLong());
            assertEquals(0.1, e.get("deviceHours").asDouble(), 1e-9);
            c.stop();
        }
        clock.advanceMillis(60_000); // a restart: the canary's start and its counts at that start are stored
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            RolloutController c = f.controller(RegistryFixture.config(200, List.of("motor-001"), 30));
            Rollout r = c.list("motor").get(0);
            // one alert in 0.1166 device-hours = 8.57 per device-hour > 2.0 x max(0, 1.0); counted from the
            // rollout's start (48 h) it would be 0.02 and the canary would go on
            c.reports().record("node-a", report(r.id(), 1, 2, "motor-001", 2, 320, 4), clock.millis());
            c.tick();
            Rollout done = c.find("motor", r.id());
            assertEquals(Rollout.ROLLED_BACK, done.stage());
            assertTrue(done.reason().startsWith("canary bound rollout.canary.maxAlertRateFactor broken: 8.57 alerts "
                    + "per device-hour"), done.reason());
            JsonNode after = c.view(done).get("evidence").get("canary");
            assertEquals(1, after.get("candidateAlerts").asLong());
            assertEquals(7 * 60_000 / 3_600_000.0, after.get("deviceHours").asDouble(), 1e-9,
                    "the view counts the canary's own time, from its start to its end");
            c.stop();
        }
    }

    @Test
    void aNodeWhoseCountsShrinkBelowTheCanaryBaseline_cannotCancelAnotherNodesCanaryAlerts() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            f.championAndCandidate("motor");
            RolloutController c = f.controller(RegistryFixture.config(200, List.of("motor-001", "motor-002"), 30));
            Rollout r = c.start("motor", new RolloutController.Request(2, false, null, null, null, null), "pipeline");
            clock.advanceMillis(3_600_000L);
            c.reports().record("node-a", report(r.id(), 1, 2, "motor-001", 1, 300, 0), clock.millis());
            c.reports().record("node-b", report(r.id(), 1, 2, "motor-002", 1, 300, 50), clock.millis());
            c.tick();
            assertEquals(Rollout.CANARY, c.find("motor", r.id()).stage());
            clock.advanceMillis(6 * 60_000);
            c.reports().record("node-a", report(r.id(), 1, 2, "motor-001", 2, 310, 2), clock.millis());
            // node-b's row falls 50 below its baseline: summed as it came, it would hide node-a's 2 alerts
            c.reports().record("node-b", report(r.id(), 1, 2, "motor-002", 2, 310, 0), clock.millis());
            c.tick();
            Rollout done = c.find("motor", r.id());
            assertEquals(Rollout.ROLLED_BACK, done.stage(), "2 alerts in 0.2 device-hours = 10 > 2.0 x 1.0");
            assertEquals(2, c.view(done).get("evidence").get("canary").get("candidateAlerts").asLong());
            c.stop();
        }
    }

    @Test
    void shadow_disagreementOverTheBound_rollsBackNamingTheBound_andAbortIsRefusedAfterwards() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            f.championAndCandidate("motor");
            RolloutController c = f.controller(RegistryFixture.config(200, List.of(), 0));
            Rollout r = c.start("motor", new RolloutController.Request(2, false, null, null, null, null), "pipeline");
            assertEquals(Rollout.SHADOW, r.stage());
            ObjectNode rep = report(r.id(), 1, 2, "motor-002", 1, 150, 0);
            c.reports().record("node-a", rep, clock.millis());
            c.tick();
            assertEquals(Rollout.SHADOW, c.find("motor", r.id()).stage(), "150 of 200 windows");
            ((ObjectNode) rep.get("devices").get(0)).put("windows", 400).put("agree", 100);
            c.reports().record("node-a", rep, clock.millis());
            c.reports().record("node-a", rep, clock.millis()); // a repeated report counts once
            c.tick();
            Rollout done = c.find("motor", r.id());
            assertEquals(Rollout.ROLLED_BACK, done.stage());
            assertEquals("shadow bound rollout.shadow.maxDisagreement broken: disagreement 0.7500 > 0.1 over 400 "
                    + "windows", done.reason());
            assertThrows(Rejection.class, () -> c.abort("motor", r.id(), "admin", null));
            // the next rollout's messages start above every seq the rolled-back one was signed with, so a
            // node refuses the old ones as replays
            f.register("motor", 3);
            Rollout next = c.start("motor", new RolloutController.Request(3, false, null, null, null, null),
                    "pipeline");
            assertEquals(done.seq() + 1, next.seq(), "seq counts per model across rollouts");
            c.stop();
        }
    }

    @Test
    void rolloutMessage_isSignedOverItsFields_andTheDownlinkVerifierAcceptsOnlyTheUntouchedOne() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            f.register("motor", 1);
            f.registry.setAlias("motor", "champion", 1, "test", "first").get();
            ModelVersion v2 = f.register("motor", 2);
            RolloutController c = f.controller(RegistryFixture.config(0, List.of("motor-001"), 30));
            Rollout r = c.start("motor", canaryOn(2, "motor-001"), "admin");
            ObjectNode m = f.registry.rolloutMessages().message(r, v2);
            assertEquals(new String(ModelSignatures.rolloutStatement(m), java.nio.charset.StandardCharsets.UTF_8),
                    m.get("signedStatement").asText());
            assertTrue(ModelSignatures.verify(f.registry.publicKey(), ModelSignatures.rolloutStatement(m),
                    m.get("signature").asText()));
            assertEquals(v2.lineageId(), m.get("candidate").get("lineageId").asText());
            AnnouncementSignatures verifier = new AnnouncementSignatures(dir);
            assertEquals(java.util.Optional.empty(), verifier.rejectRollout("motor", bytes(m)));
            ObjectNode retargeted = m.deepCopy();
            ((ObjectNode) retargeted.get("targeting")).putArray("devices").add("motor-002");
            assertEquals("rollout message signature does not verify with this node's model-signing key",
                    verifier.rejectRollout("motor", bytes(retargeted)).orElseThrow());
            ObjectNode replayedStage = m.deepCopy().put("stage", "full");
            assertTrue(verifier.rejectRollout("motor", bytes(replayedStage)).isPresent());
            assertEquals("rollout message names 'motor' but the record key is 'pump'",
                    verifier.rejectRollout("pump", bytes(m)).orElseThrow());
            c.stop();
        }
    }

    @Test
    void start_refusesTheChampion_aSecondActiveRollout_andAModelWithoutChampion() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (RegistryFixture f = new RegistryFixture(dir, clock, 10, 0)) {
            f.register("motor", 1);
            RolloutController c = f.controller(RegistryFixture.config(0, List.of("motor-001"), 30));
            assertEquals("model motor has no champion to roll out from: promote v1 directly",
                    assertThrows(Rejection.class, () -> c.start("motor", canaryOn(1, "m"), "admin")).getMessage());
            f.registry.setAlias("motor", "champion", 1, "test", "first").get();
            f.register("motor", 2);
            f.register("motor", 3);
            assertThrows(Rejection.class, () -> c.start("motor", canaryOn(1, "m"), "admin"));
            Rollout r = c.start("motor", canaryOn(2, "m"), "admin");
            assertTrue(assertThrows(Rejection.class, () -> c.start("motor", canaryOn(3, "m"), "admin")).getMessage()
                    .contains("already has an active rollout " + r.id()));
            JsonNode view = c.view(r);
            assertEquals(r.id(), view.get("targeting").get("salt").asText());
            assertNull(view.get("seq"));
            JsonNode documented = io.aiotedge.support.DocExamples.read(Path.of("docs/platform.md")).get("rollout");
            assertEquals(names(documented), names(view), "docs/platform.md's rollout example has the fields");
            for (String part : List.of("shadow", "canary")) {
                assertEquals(names(documented.get("evidence").get(part)), names(view.get("evidence").get(part)));
            }
            assertEquals(names(documented.get("events").get(0)), names(view.get("events").get(0)));
            c.stop();
        }
    }

    private static java.util.Set<String> names(JsonNode n) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static byte[] bytes(JsonNode n) {
        return n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
