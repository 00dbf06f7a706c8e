package io.aiotedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {
    private final ConfigLoader loader = new ConfigLoader(k -> null);

    private BridgeConfig load(String... sets) {
        return loader.load(null, List.of(sets)).config().bridge();
    }

    private String problems(String... sets) {
        return assertThrows(ConfigException.class, () -> load(sets)).getMessage();
    }

    @Test
    void defaults_bridgeTheDesignTopicsAndTheReferenceFirmware() {
        BridgeConfig b = load();
        assertTrue(b.enabled());
        assertEquals(BridgeConfig.Overflow.REJECT, b.spoolOverflow());
        assertEquals("{deviceId}", b.uplink().get(0).key());
        assertEquals("json:deviceID", b.uplink().get(3).key());
        assertEquals(List.of("aiot.telemetry", "aiot.raw", "aiot.alerts", "shaded-pole-motor-sensor_data",
                "aiot.deadletter", "aiot.control", "control-message", "aiot.models", "aiot.rollouts"),
                b.kafkaTopics());
        assertTrue(b.downlink().get(2).retain());
        assertEquals("aiot/v1/things/m-7/control", b.downlink().get(0).topicFor("m-7"));
    }

    @Test
    void defaultDownlink_controlOnlyToRegisteredDevices_modelsOnlySignedAnnouncements() {
        BridgeConfig b = load();
        assertEquals(DownlinkMapping.Keys.REGISTERED_DEVICES, b.downlink().get(0).keys());
        assertEquals(DownlinkMapping.Verify.NONE, b.downlink().get(0).verify());
        assertEquals(DownlinkMapping.Keys.ANY, b.downlink().get(1).keys());
        assertEquals(DownlinkMapping.Verify.MODEL_ANNOUNCEMENT, b.downlink().get(2).verify());
    }

    @Test
    void downlinkWithoutKeysOrVerify_getsTheSafeDefaultForItsTopic() {
        BridgeConfig b = load("bridge.downlink=[{kafka: aiot.control, mqtt: \"aiot/v1/things/{key}/control\"},"
                + " {kafka: aiot.models, mqtt: \"aiot/v1/models/{key}/latest\", retain: true},"
                + " {kafka: other, mqtt: \"plant/{key}/x\"}]");
        assertEquals(DownlinkMapping.Keys.REGISTERED_DEVICES, b.downlink().get(0).keys());
        assertEquals(DownlinkMapping.Verify.MODEL_ANNOUNCEMENT, b.downlink().get(1).verify());
        assertEquals(DownlinkMapping.Keys.ANY, b.downlink().get(2).keys());
        assertEquals(DownlinkMapping.Verify.NONE, b.downlink().get(2).verify());
    }

    @Test
    void downlinkRegisteredDevicesWithoutKeyInTopic_isRefusedNamingTheKey() {
        String msg = problems("bridge.downlink=[{kafka: a, mqtt: plain/topic, keys: registered-devices}]");
        assertTrue(msg.contains("bridge.downlink[0].keys: registered-devices needs {key}"), msg);
        String bad = problems("bridge.downlink=[{kafka: a, mqtt: plain/topic, verify: maybe}]");
        assertTrue(bad.contains("bridge.downlink[0].verify: must be one of [none, model-announcement, rollout]"), bad);
    }

    @Test
    void uplinkWithoutPlaceholder_keysByClientId() {
        BridgeConfig b = load("bridge.uplink=[{mqtt: \"legacy/+/x\", kafka: legacy}]");
        assertEquals("clientId", b.uplink().get(0).key());
        assertEquals(UplinkMapping.Payload.ANY, b.uplink().get(0).payload());
    }

    @Test
    void badMappings_areAllReportedWithTheirKeys() {
        String msg = problems("bridge.uplink=[{mqtt: \"a/{x}/{y}\", kafka: \"bad topic!\"},"
                + " {mqtt: \"a/#/b\", kafka: ok, key: \"{nope}\"}, {mqtt: c, kafka: c, key: \"json:id\"}]",
                "bridge.downlink=[{kafka: ok, mqtt: \"a/+/b\", qos: 3}]", "bridge.spool.overflow=shrug");
        for (String expected : List.of(
                "bridge.uplink[0].mqtt: may name at most one level",
                "bridge.uplink[0].kafka: is not a valid Kafka topic name",
                "bridge.uplink[1].mqtt: '#' must be the last level",
                "bridge.uplink[1].key: must be clientId, none, json:<field>",
                "bridge.uplink[2].payload: must be json when key is json:<field>",
                "bridge.downlink[0].mqtt: must be a topic name without wildcards",
                "bridge.downlink[0].qos: must be between 0 and 2",
                "bridge.spool.overflow: must be one of [reject, drop-oldest]")) {
            assertTrue(msg.contains(expected), "missing '" + expected + "' in:\n" + msg);
        }
    }

    @Test
    void schemas_mustExistBeJsonObjectsAndGoWithJsonPayloads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path notJson = java.nio.file.Files.writeString(dir.resolve("bad.json"), "{\"type\":");
        java.nio.file.Path array = java.nio.file.Files.writeString(dir.resolve("array.json"), "[1]");
        String msg = problems("bridge.uplink=[{mqtt: a, kafka: a, payload: json, schema: \"builtin:nope\"},"
                + " {mqtt: b, kafka: b, payload: json, schema: \"" + dir.resolve("missing.json") + "\"},"
                + " {mqtt: c, kafka: c, payload: json, schema: \"" + notJson + "\"},"
                + " {mqtt: d, kafka: d, payload: json, schema: \"" + array + "\"},"
                + " {mqtt: e, kafka: e, schema: \"builtin:reference-sensor-data\"}]");
        for (String expected : List.of(
                "bridge.uplink[0].schema: no built-in JSON Schema builtin:nope",
                "bridge.uplink[1].schema: JSON Schema file " + dir.resolve("missing.json") + " does not exist",
                "bridge.uplink[2].schema: JSON Schema " + notJson + " is not valid JSON",
                "bridge.uplink[3].schema: JSON Schema " + array + " must be a JSON object",
                "bridge.uplink[4].payload: must be json when")) {
            assertTrue(msg.contains(expected), "missing '" + expected + "' in:\n" + msg);
        }
    }

    @Test
    void spoolBelowOneMebibyte_isRefused() {
        assertTrue(problems("bridge.spool.maxBytes=1000").contains("bridge.spool.maxBytes: must be between 1048576"));
    }
}
