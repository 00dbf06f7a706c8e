package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aiotedge.alerts.Alert;
import io.aiotedge.config.LiveConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's live state: rings keep the newest points in order, bands move with scores and alerts. */
class LiveHubTest {
    private final LiveHub hub = new LiveHub(new LiveConfig(64, 32, 5, 300));

    @Test
    void sparkline_keepsTheNewestScoresOldestFirst_withinItsCapacity() {
        for (int i = 1; i <= 8; i++) {
            hub.score("m-1", i, i / 10.0, "OK", "m", 1);
        }
        LiveHub.DeviceLive d = hub.get("m-1");
        assertEquals(List.of(0.4, 0.5, 0.6, 0.7, 0.8), LiveHub.sparkline(d));
        assertEquals(List.of(List.of(7L, 0.7), List.of(8L, 0.8)), LiveHub.scoresAfter(d, 6));
    }

    @Test
    void bandSince_movesOnlyWhenTheBandChanges() {
        hub.score("m-1", 10, 0.1, "OK", "m", 1);
        hub.score("m-1", 20, 0.9, "FAILURE", "m", 1);
        hub.score("m-1", 30, 0.95, "FAILURE", "m", 2);
        LiveHub.DeviceLive d = hub.get("m-1");
        assertEquals("FAILURE", d.band);
        assertEquals(20, d.bandSince);
        assertEquals(2, d.modelVersion);
    }

    @Test
    void featureRows_areARingOfTheNewest_andANewSchemaStartsItAgain() {
        for (int i = 0; i < LiveHub.RECENT_ROWS + 3; i++) {
            hub.telemetry("m-1", i, List.of("a", "b"), new double[] {i, -i});
        }
        LiveHub.DeviceLive d = hub.get("m-1");
        List<List<Object>> rows = LiveHub.rowsAfter(d, 0);
        assertEquals(LiveHub.RECENT_ROWS, rows.size());
        assertEquals(List.of(3L, 3.0, -3.0), rows.get(0));
        hub.telemetry("m-1", 100, List.of("c"), new double[] {1});
        assertEquals(List.of(List.of(100L, 1.0)), LiveHub.rowsAfter(d, 0));
    }

    @Test
    void alert_setsTheBandOfADeviceNeverScoredHere_andGoesToTheFleetStreamsOnce() {
        Alert a = new Alert(7, "m-9", "condition", "FAILURE", "WARNING", 0.93, "m", 3, null, "local", null, null, 50,
                51,
                null, null);
        hub.alert("m-9", a);
        assertEquals("FAILURE", hub.get("m-9").band);
        assertEquals(List.of(a), hub.drainAlerts());
        assertEquals(List.of(), hub.drainAlerts());
        assertNull(hub.get("never"));
    }

    @Test
    void changedSince_listsOnlyDevicesUpdatedAfterTheMark() {
        hub.score("m-1", 1, 0.1, "OK", "m", 1);
        long mark = hub.now();
        hub.score("m-2", 2, 0.2, "OK", "m", 1);
        assertEquals(List.of("m-2"), hub.changedSince(mark).stream().map(d -> d.id).toList());
    }
}
