package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.inference.ConditionTracker.Band;
import io.aiotedge.inference.ConditionWindows.DeviceCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionWindowsTest {

    @Test
    void scoresAggregatePerTumblingWindow_andTheLastCompleteWindowIsKept() {
        ConditionWindows w = new ConditionWindows(10_000, 0.5, 0.8);
        w.record("m", 100_000, 0.2, Band.OK, 1);
        w.record("m", 105_000, 0.6, Band.OK, 1);
        w.record("m", 109_999, 0.9, Band.WARNING, 1);
        DeviceCondition c = w.device("m").orElseThrow();
        assertNull(c.last(), "no window complete yet");
        assertEquals(3, c.current().windows());
        assertEquals((0.2 + 0.6 + 0.9) / 3, c.current().meanScore(), 1e-12);
        assertEquals(0.9, c.current().maxScore());
        assertEquals(1, c.current().perBand().get(Band.OK));
        assertEquals(1, c.current().perBand().get(Band.WARNING));
        assertEquals(1, c.current().perBand().get(Band.FAILURE));
        assertEquals(100_000, c.current().startMillis());
        assertEquals(110_000, c.current().endMillis());

        w.record("m", 110_000, 0.95, Band.FAILURE, 2);
        c = w.device("m").orElseThrow();
        assertEquals(3, c.last().windows(), "the finished window moved to last");
        assertEquals(1, c.current().windows());
        assertEquals(Band.FAILURE, c.band());
        assertEquals(110_000, c.bandSinceMillis());
        assertEquals(2, c.modelVersion());
        assertEquals(4, c.scored());
        assertEquals(0.95, c.lastScore());
    }

    @Test
    void bandSince_movesOnlyWhenTheBandChanges_andForgottenDevicesDisappear() {
        ConditionWindows w = new ConditionWindows(60_000, 0.5, 0.8);
        w.record("a", 1_000, 0.6, Band.WARNING, 1);
        w.record("a", 2_000, 0.7, Band.WARNING, 1);
        w.record("b", 2_000, 0.1, Band.OK, 1);
        assertEquals(1_000, w.device("a").orElseThrow().bandSinceMillis());
        assertEquals(List.of("a", "b"), w.all().stream().map(DeviceCondition::deviceId).toList());
        w.forget(List.of("a"));
        assertTrue(w.device("a").isEmpty());
        assertEquals(1, w.all().size());
    }
}
