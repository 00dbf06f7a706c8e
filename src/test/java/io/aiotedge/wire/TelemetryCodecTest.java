package io.aiotedge.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryCodecTest {
    private final TelemetryCodec codec = new TelemetryCodec();

    private String reason(String json) {
        return assertThrows(FrameException.class, () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .getMessage();
    }

    @Test
    void roundTrip_keepsNamesInOrderAndTheLabel() throws FrameException {
        Telemetry t = new Telemetry("motor-17", 1_795_689_600_123L, 42, List.of("b_rms", "a_rms"),
                new double[] {0.5, 1.25}, "bearing-wear");
        Telemetry back = codec.decode(codec.encode(t));
        assertEquals(List.of("b_rms", "a_rms"), back.names());
        assertArrayEquals(new double[] {0.5, 1.25}, back.values());
        assertEquals("bearing-wear", back.label());
        assertNull(codec.decode(codec.encode(new Telemetry("m", 0, 0, List.of("x"), new double[] {1}, null))).label());
    }

    @Test
    void badTelemetry_getsPreciseReasons() {
        assertEquals("unknown telemetry schema 2 (this node reads 1)", reason("{\"schema\":2}"));
        assertEquals("ts must be epoch milliseconds", reason("{\"schema\":1,\"deviceId\":\"m\",\"ts\":-1}"));
        assertEquals("features must be an object of 1 to 4096 name -> number",
                reason("{\"schema\":1,\"deviceId\":\"m\",\"ts\":1,\"seq\":1,\"features\":{}}"));
        assertEquals("feature x must be a finite number, got \"1\"",
                reason("{\"schema\":1,\"deviceId\":\"m\",\"ts\":1,\"seq\":1,\"features\":{\"x\":\"1\"}}"));
        assertEquals("label must be a string",
                reason("{\"schema\":1,\"deviceId\":\"m\",\"ts\":1,\"seq\":1,\"features\":{\"x\":1},\"label\":3}"));
    }
}
