package io.aiotedge.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.LiveFeed;
import io.aiotedge.core.Rejection;
import io.aiotedge.storage.Database;
import io.aiotedge.support.ManualClock;
import io.aiotedge.wire.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's own alerts on real H2: a rollback alert is stored about no device, listed,
 * acknowledged once, stored once however often it is offered, and refused when it arrives as a
 * consumed record (only the platform raises it).
 */
class PlatformAlertsTest {
    private static final long T0 = 1_795_700_000_000L;

    @TempDir
    Path dir;
    private Database db;
    private AlertStore store;
    private final List<Object> live = new ArrayList<>();
    private PlatformAlerts alerts;

    @BeforeEach
    void start() {
        db = new Database(dir, 2);
        db.start();
        ManualClock clock = new ManualClock(T0);
        store = new AlertStore(db::dataSource, clock);
        alerts = new PlatformAlerts(store, new LiveFeed() {
            @Override
            public void alert(String deviceId, Object alert) {
                live.add(deviceId == null ? alert : "device " + deviceId);
            }
        }, clock);
    }

    @AfterEach
    void stop() {
        db.stop();
    }

    private static ObjectNode rolledBack(String rolloutId) {
        ObjectNode a = Json.mapper().createObjectNode().put("type", "rollout-rolled-back").put("model", "motor")
                .put("modelVersion", 5).put("rolloutId", rolloutId).put("from", "canary")
                .put("decidedBy", "rollout-controller").put("reason", "canary bound broken").put("timestamp", T0 - 5);
        a.putObject("evidence").put("devices", 1);
        return a;
    }

    @Test
    void aRollbackAlert_isStoredAboutNoDevice_listedWithModelVersionAndReason_andAcknowledgedOnce() throws Exception {
        Alert a = alerts.rolledBack(rolledBack("ro-1")).orElseThrow();
        assertEquals(List.of(a), live);
        assertEquals(1, store.list(null, null, false, null, 50).alerts().size());
        Alert listed = store.list(null, null, null, null, 50).alerts().get(0);
        assertNull(listed.deviceId());
        assertEquals(List.of("rollout-rolled-back", "motor", "5", "ro-1", "canary bound broken", "" + (T0 - 5)),
                List.of(listed.type(), listed.modelName(), "" + listed.modelVersion(), listed.rolloutId(),
                        listed.reason(), "" + listed.ts()));
        assertEquals("canary", store.get(a.id()).orElseThrow().payload().get("from").asText());
        assertEquals(names(io.aiotedge.support.DocExamples.read(Path.of("docs/platform.md")).get("rollbackAlert")),
                names(Json.mapper().valueToTree(listed)), "docs/platform.md's rollbackAlert has a list item's fields");
        assertEquals(0, store.list("motor", null, null, null, 50).alerts().size(), "no device is named motor");
        assertEquals(Map.of(), store.openCounts(), "it counts against no device");
        assertEquals("ana", store.ack(a.id(), "ana", "reverted").ack().by());
        assertEquals(Rejection.Kind.CONFLICT, assertThrows(Rejection.class, () -> store.ack(a.id(), "bo", ""))
                .kind());
        assertEquals(0, store.list(null, null, false, null, 50).alerts().size());
    }

    private static java.util.Set<String> names(com.fasterxml.jackson.databind.JsonNode n) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void offeredAgain_itIsStoredOnce() {
        assertTrue(alerts.rolledBack(rolledBack("ro-2")).isPresent());
        assertTrue(alerts.rolledBack(rolledBack("ro-2")).isEmpty());
        assertTrue(alerts.rolledBack(rolledBack("ro-3")).isPresent());
        assertEquals(2, store.list(null, null, null, null, 50).alerts().size());
        assertEquals(2, live.size());
    }

    @Test
    void aConsumedRecordOfThatType_isRefusedAsForged_whoeverSentIt() {
        byte[] forged = rolledBack("ro-4").put("deviceId", "motor-001").toString().getBytes(StandardCharsets.UTF_8);
        Incoming.Refused e = assertThrows(Incoming.Refused.class, () -> Incoming.alert("m:1", "motor-001", forged,
                T0));
        assertEquals("forged", e.reason);
        assertEquals("alert type 'rollout-rolled-back' is raised by the platform only", e.getMessage());
    }
}
