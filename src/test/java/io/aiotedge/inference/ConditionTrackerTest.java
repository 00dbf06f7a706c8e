package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aiotedge.inference.ConditionTracker.Band;
import org.junit.jupiter.api.Test;

class ConditionTrackerTest {
    @Test
    void bandsNeedConfirmation_andAreLeftOnlyBelowTheHysteresis() {
        ConditionTracker t = new ConditionTracker(0.5, 0.8, 0.05, 2);
        assertNull(t.update("m", 0.6), "one window is not enough");
        assertEquals(Band.WARNING, t.update("m", 0.6).to());
        assertNull(t.update("m", 0.47), "within the hysteresis: stays WARNING");
        assertNull(t.update("m", 0.52));
        assertNull(t.update("m", 0.9));
        ConditionTracker.Change f = t.update("m", 0.95);
        assertEquals(Band.WARNING, f.from());
        assertEquals(Band.FAILURE, f.to());
        assertNull(t.update("m", 0.78), "0.78 is within FAILURE's hysteresis");
        assertEquals(Band.WARNING, t.update("m", 0.7).to());
        assertEquals(Band.OK, t.update("m", 0.1).to());
        assertEquals(Band.OK, t.band("other"));
    }

    @Test
    void aSpikeThatIsNotConfirmed_raisesNothing_andDevicesAreIndependent() {
        ConditionTracker t = new ConditionTracker(0.5, 0.8, 0.05, 3);
        assertNull(t.update("a", 0.99));
        assertNull(t.update("a", 0.99));
        assertNull(t.update("a", 0.1));
        assertNull(t.update("a", 0.99));
        assertNull(t.update("b", 0.99));
        assertEquals(Band.OK, t.band("a"));
        assertEquals(2, t.census().get(Band.OK));
    }
}
