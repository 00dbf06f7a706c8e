package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.InferenceConfig;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.tflite.Backend;
import io.aiotedge.wire.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scoring with a rollout candidate: a good champion (always OK) and a bad candidate (always FAILURE). */
class ScoringRolloutTest {
    final List<ObjectNode> alerts = new ArrayList<>();
    final List<ObjectNode> commands = new ArrayList<>();
    final Outlet outlet = new Outlet() {
        @Override
        public void alert(String deviceId, ObjectNode alert) {
            alerts.add(alert);
        }

        @Override
        public void command(String deviceId, ObjectNode command) {
            commands.add(command);
        }
    };
    final AtomicReference<CandidateSlot.Active> slot = new AtomicReference<>();
    SimpleMeterRegistry meters;
    Scoring scoring;
    LoadedModel champion;
    LoadedModel bad;
    long seq;

    @BeforeEach
    void setUp() throws Exception {
        InferenceConfig config = new ConfigLoader(k -> null).load(null, List.of()).config().inference();
        champion = model(4, -12f, "aaaaaaaaaaaaaaaa");
        bad = model(5, 12f, "bbbbbbbbbbbbbbbb");
        meters = new SimpleMeterRegistry();
        scoring = new Scoring(config, () -> champion, slot::get, "coral-1", meters, io.aiotedge.core.LiveFeed.NONE);
    }

    static LoadedModel model(int version, float bias, String lineage) throws Exception {
        DenseNet net = new DenseNet(List.of(new DenseNet.Layer(new float[][] {{0f}}, new float[] {bias}, false)));
        return new LoadedModel("m", version, "sha" + version, List.of("x"),
                Backend.JAVA.open(TfliteExporter.floatModel(net, "m")), lineage);
    }

    void stage(String stage, Set<String> devices) {
        RolloutMessage r = new RolloutMessage("ro-1", "m", stage, 1, null, new Targeting(devices, 0, Set.of(), "ro-1"),
                null, "");
        slot.set(new CandidateSlot.Active(r, bad));
    }

    void windows(String device, int n) {
        for (int i = 0; i < n; i++) {
            scoring.accept(new Telemetry(device, System.currentTimeMillis(), ++seq, List.of("x"), new double[] {1},
                    "healthy"), outlet);
        }
    }

    double count(String name) {
        return meters.get(name).counter().count();
    }

    @Test
    void shadow_candidateCallsFailure_recordedOnly_noAlertNoCommand() {
        stage("shadow", Set.of());
        windows("motor-001", 10);
        windows("motor-002", 10);
        assertEquals(0, alerts.size());
        assertEquals(0, commands.size());
        assertEquals(20.0, count("aiot_inference_shadow_windows_total"));
        // FAILURE is entered after confirmWindows (2) windows: 9 of each device's 10 disagree
        assertEquals(18.0, count("aiot_inference_shadow_disagreements_total"));
        assertEquals(18.0, count("aiot_inference_shadow_false_failures_total"));
        var row = scoring.shadow().report().get(0);
        assertEquals(10, row.get("windows").asInt());
        assertEquals(10, row.get("labelled").asInt());
        assertEquals(10, row.get("championCorrect").asInt());
        assertEquals(0, row.get("candidateCorrect").asInt());
        assertEquals(4, row.get("servedBy").asInt());
        assertEquals(ConditionTracker.Band.OK, scoring.tracker().band("motor-001"));
    }

    @Test
    void canary_targetedDeviceServedByCandidate_alertCarriesRollout_othersUntouched() {
        stage("canary", Set.of("motor-001"));
        windows("motor-001", 5);
        windows("motor-002", 5);
        assertEquals(1, alerts.size());
        ObjectNode a = alerts.get(0);
        assertEquals("motor-001", a.get("deviceId").asText());
        assertEquals("FAILURE", a.get("band").asText());
        assertEquals(5, a.get("modelVersion").asInt());
        assertEquals("bbbbbbbbbbbbbbbb", a.get("lineageId").asText());
        assertEquals("ro-1", a.get("rolloutId").asText());
        assertEquals("coral-1", a.get("node").asText());
        assertEquals(1, commands.size());
        assertEquals("motor-001", commands.get(0).get("deviceId").asText());
        assertEquals("ro-1", commands.get(0).get("rolloutId").asText());
        var rows = scoring.shadow().report();
        assertEquals(5, rows.get(0).get("servedBy").asInt());
        assertEquals(1, rows.get(0).get("alerts").asInt());
        assertEquals(4, rows.get(1).get("servedBy").asInt());
        assertEquals(0, rows.get(1).get("alerts").asInt());
    }

    @Test
    void rollback_canaryDeviceBackOnChampion_withChampionsBand_noAlertFromTheSwitch() {
        stage("canary", Set.of("motor-001"));
        windows("motor-001", 5);
        assertEquals(ConditionTracker.Band.FAILURE, scoring.tracker().band("motor-001"));
        slot.set(null); // rolled back: the slot is emptied
        windows("motor-001", 3);
        assertEquals(1, alerts.size(), "only the canary's FAILURE; the way back raises none");
        assertEquals(ConditionTracker.Band.OK, scoring.tracker().band("motor-001"));
        assertEquals(4, scoring.windows().device("motor-001").orElseThrow().modelVersion());
        windows("motor-002", 2);
        assertFalse(alerts.stream().anyMatch(x -> x.has("rolloutId") && x.get("modelVersion").asInt() == 4));
    }

    @Test
    void candidateBecomesChampion_devicesKeepItsBand_andTheSinglePathResumes() throws Exception {
        stage("canary", Set.of("motor-001"));
        windows("motor-001", 3);
        windows("motor-002", 3);
        assertEquals(1, alerts.size());
        champion = bad; // `latest` announced v5, the slot's candidate
        windows("motor-001", 1);
        windows("motor-002", 1);
        assertEquals(1, alerts.size(), "motor-002 takes the band v5 had reached beside it: FAILURE, no new alert");
        assertEquals(ConditionTracker.Band.FAILURE, scoring.tracker().band("motor-002"));
    }

    @Test
    void noRollout_alertHasNodeAndLineage_noRolloutId() {
        champion = bad;
        windows("motor-003", 3);
        assertEquals(1, alerts.size());
        assertEquals("coral-1", alerts.get(0).get("node").asText());
        assertEquals("bbbbbbbbbbbbbbbb", alerts.get(0).get("lineageId").asText());
        assertFalse(alerts.get(0).has("rolloutId"));
        assertEquals(0.0, count("aiot_inference_shadow_windows_total"));
    }
}
