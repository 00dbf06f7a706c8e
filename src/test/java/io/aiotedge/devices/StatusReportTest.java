package io.aiotedge.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.Rejection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusReportTest {
    static StatusReport parse(String s) {
        return StatusReport.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyFieldIsOptional() {
        StatusReport r = parse("{}");
        assertNull(r.firmware());
        assertNull(r.rollout());
    }

    @Test
    void malformedTruncatedOversizedAndHostileReports_areRefusedNamingTheField() {
        assertEquals("payload", assertThrows(Rejection.class, () -> parse("{\"firmware\":")).field());
        assertEquals("payload", assertThrows(Rejection.class, () -> parse("[1]")).field());
        assertEquals("payload",
                assertThrows(Rejection.class, () -> parse("{\"x\":\"" + "a".repeat(5000) + "\"}")).field());
        assertEquals("firmware", assertThrows(Rejection.class, () -> parse("{\"firmware\":7}")).field());
        assertEquals("rollout.state", assertThrows(Rejection.class,
                () -> parse("{\"rollout\":{\"model\":\"m\",\"version\":1,\"state\":\"done\"}}")).field());
        assertEquals("rollout.version", assertThrows(Rejection.class,
                () -> parse("{\"rollout\":{\"model\":\"m\",\"version\":-1,\"state\":\"active\"}}")).field());
        assertTrue(assertThrows(Rejection.class, () -> parse("{\"rollout\":{\"model\":\"m\",\"version\":1,"
                + "\"state\":\"active\",\"detail\":\"" + "d".repeat(600) + "\"}}")).getMessage()
                .startsWith("rollout.detail"));
    }
}
