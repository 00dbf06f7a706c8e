package io.aiotedge.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.wire.Telemetry;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatorTest {
    private static Telemetry t(String id, long ts, double rms) {
        return new Telemetry(id, ts, ts, List.of("current_rms", "current_peak_hz"), new double[] {rms, 50}, null);
    }

    @Test
    void aPeriodClosesWithTheFirstMessageAfterIt_withMinMaxMeanAndCount() throws Exception {
        Aggregator a = new Aggregator(10_000);
        assertNull(a.add(t("m1", 1_000, 1.0)));
        assertNull(a.add(t("m1", 5_000, 3.0)));
        assertNull(a.add(t("m2", 6_000, 9.0)), "devices are summarised separately");
        assertNull(a.add(t("m1", 10_999, 2.0)));
        Aggregator.Summary s = a.add(t("m1", 11_000, 7.0));
        assertNotNull(s);
        assertEquals("aiot/v1/things/m1/telemetry/agg", s.topic());
        JsonNode n = new ObjectMapper().readTree(s.payload());
        assertEquals(3, n.path("count").asInt());
        assertEquals(1_000, n.path("from").asLong());
        assertEquals(10_999, n.path("to").asLong());
        assertEquals(1.0, n.path("features").path("current_rms").path("min").asDouble());
        assertEquals(3.0, n.path("features").path("current_rms").path("max").asDouble());
        assertEquals(2.0, n.path("features").path("current_rms").path("mean").asDouble(), 1e-12);
        assertNull(a.add(t("m1", 12_000, 7.0)), "the next period started with the closing message");
    }
}
