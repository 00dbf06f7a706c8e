package io.aiotedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void configuredPort_isKept_evenWhenTaken() {
        assertEquals(9092, FreePorts.resolve(9092, Set.of(9092), () -> 1));
    }

    @Test
    void osOffersATakenPortAgain_theNextOfferIsUsed() {
        ArrayDeque<Integer> offers = new ArrayDeque<>(List.of(38887, 38887, 40001));
        assertEquals(40001, FreePorts.resolve(0, Set.of(38887), offers::pop));
        assertTrue(offers.isEmpty(), "asked until a port not taken came");
    }

    @Test
    void osOffersOnlyTakenPorts_startFailsNamingThem() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FreePorts.resolve(0, Set.of(38887), () -> 38887));
        assertTrue(e.getMessage().contains("[38887]"), e.getMessage());
    }

    @Test
    void severalListenersOfOneServer_resolvedAgainstEachOther_allDiffer() {
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.resolve(0, "127.0.0.1", held.stream().mapToInt(Integer::intValue).toArray());
            assertNotEquals(0, port);
            assertTrue(held.add(port), "port " + port + " handed out twice");
        }
    }
}
