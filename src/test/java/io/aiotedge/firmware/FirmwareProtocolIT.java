package io.aiotedge.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.devices.StatusReportProbe;
import io.aiotedge.dsp.FeatureExtractor;
import io.aiotedge.support.Proc;
import io.aiotedge.wire.ModelSignatures;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The firmware's device protocol (firmware/common), built with CMake and gcc on the host: its own
 * checks pass, and what it writes is what the Java side reads and signs: the telemetry decodes
 * with the gateway's codec under the DSP's feature names, and the signed statement is byte for
 * byte the registry's.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FirmwareProtocolIT {

    @Test
    void cProtocol_writesTelemetryJavaDecodes_andTheStatementTheRegistrySigns() throws Exception {
        Proc.Result test = HostBuild.buildAndRun("firmware/common", "firmware-protocol", "aiot_protocol_test");
        assertEquals(0, test.exitCode(), test.stdout());
        assertTrue(test.stdout().contains("0 failures"), test.stdout());

        Telemetry t = new TelemetryCodec().decode(line(test.stdout(), "TELEMETRY ").getBytes(StandardCharsets.UTF_8));
        List<String> javaNames = new FeatureExtractor(new ConfigLoader(k -> null).load(null, List.of()).config().dsp())
                .schema().names();
        assertEquals(javaNames, t.names(), "the C names are the DSP's, in order");
        assertEquals("motor-17", t.deviceId());
        assertEquals(1795689600123L, t.timestampMillis());
        assertEquals(42, t.sequence());
        assertEquals(1e-7, t.values()[3], 0);
        assertEquals(12345.678, t.values()[7], 0);
        assertEquals(19 * 0.5 + 0.125, t.values()[19], 0);

        byte[] statement = HexFormat.of().parseHex(line(test.stdout(), "STATEMENT_HEX "));
        assertArrayEquals(ModelSignatures.statement("motor-condition", 4,
                "a81521dc61c07dd9e5b5d3dc2422efe3c7404ae06b62226756b908f3e221bd50", 1856), statement);
        assertTrue(line(test.stdout(), "STATUS ").startsWith("{\"state\":\"online\""));
        assertEquals("downloading", StatusReportProbe.rolloutState(line(test.stdout(), "STATUS ")
                .getBytes(StandardCharsets.UTF_8)), "the registry reads the device's status report");
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }
}
