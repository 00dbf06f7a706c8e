package io.aiotedge.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.aiotedge.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RowDecoderTest {
    private static final RowDecoder.Sender GATEWAY = new RowDecoder.Sender("gw", "service");
    private static final RowDecoder.Sender DEVICE = new RowDecoder.Sender("devA", "device");
    private final RowDecoder defaults = new RowDecoder(new LabelSources(List.of("role:service")));

    private static byte[] telemetry(String device, String label) {
        return new TelemetryCodec().encode(new Telemetry(device, 1_700_000_000_000L, 7, List.of("vibration_rms"),
                new double[] {0.4}, label));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private FeatureRow decode(RowDecoder d, String key, byte[] value, RowDecoder.Sender sender) throws FrameException {
        return d.decode("aiot.telemetry", key == null ? null : utf8(key), value, "m:1", 5L, sender);
    }

    @Test
    void payloadNamingAnotherDeviceThanTheKey_isRefusedWithTheReason() {
        FrameException e = assertThrows(FrameException.class,
                () -> decode(defaults, "devA", telemetry("devB", null), GATEWAY));
        assertEquals("payload deviceId 'devB' differs from the record key 'devA' (the device the topic named)",
                e.getMessage());
        FrameException legacy = assertThrows(FrameException.class, () -> defaults.decode(Topics.LEGACY_SENSOR_DATA,
                utf8("14333616"), utf8("{\"deviceID\":\"99\",\"current\":1,\"temperature\":2,\"vibration\":3,"
                        + "\"sound\":4}"),
                "m:2", 5L, DEVICE));
        assertEquals("payload deviceID '99' differs from the record key '14333616' (the device the topic named)",
                legacy.getMessage());
    }

    @Test
    void deviceLabel_isDropped_serviceLabelKept_unlessConfigured() throws FrameException {
        FeatureRow fromDevice = decode(defaults, "devA", telemetry("devA", "bearing-wear"), DEVICE);
        assertEquals("devA", fromDevice.deviceId());
        assertNull(fromDevice.label(), "a device is no label source by default");
        assertEquals("bearing-wear", decode(defaults, "devA", telemetry("devA", "bearing-wear"), GATEWAY).label());
        assertNull(decode(defaults, "devA", telemetry("devA", "bearing-wear"), RowDecoder.Sender.UNKNOWN).label(),
                "a record the bridge did not write has no known sender");
        RowDecoder rig = new RowDecoder(new LabelSources(List.of("devA")));
        assertEquals("imbalance", decode(rig, "devA", telemetry("devA", "imbalance"), DEVICE).label());
        assertNull(decode(rig, "devA", telemetry("devA", "imbalance"), GATEWAY).label(), "only what is listed");
        RowDecoder devices = new RowDecoder(new LabelSources(List.of("role:device")));
        assertEquals("imbalance", decode(devices, "devA", telemetry("devA", "imbalance"), DEVICE).label());
    }

    private static ConsumerRecord<byte[], byte[]> record(String... headers) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("aiot.telemetry", 0, 0L, utf8("devA"), utf8("{}"));
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], utf8(headers[i + 1]));
        }
        return r;
    }

    @Test
    void labelSource_isThePublisher_orWhomAServiceRelaysFor_neverWhatADeviceClaims() {
        assertEquals(DEVICE, IngestLoop.sender(record("aiot.principal", "devA", "aiot.principalRole", "device",
                "mqtt.user.aiot.labelledBy", "gw", "mqtt.user.aiot.labelledByRole", "service")));
        assertEquals(new RowDecoder.Sender("devA", "device"), IngestLoop.sender(record("aiot.principal", "gw",
                "aiot.principalRole", "service", "mqtt.user.aiot.labelledBy", "devA",
                "mqtt.user.aiot.labelledByRole", "device")));
        assertEquals(GATEWAY, IngestLoop.sender(record("aiot.principal", "gw", "aiot.principalRole", "service")));
        assertEquals(RowDecoder.Sender.UNKNOWN, IngestLoop.sender(record()));
    }
}
