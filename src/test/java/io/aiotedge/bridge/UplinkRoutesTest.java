package io.aiotedge.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.UplinkMapping;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import io.aiotedge.core.mqtt.InboundPublish;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UplinkRoutesTest {
    private final List<UplinkMapping> defaults = new ConfigLoader(k -> null).load(null, List.of()).config().bridge()
            .uplink();
    private final UplinkRoutes routes = new UplinkRoutes(defaults, new MessageIds(new SecureRandom()));

    private static InboundPublish publish(String topic, String payload) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static final Principal GATEWAY = new Principal("gw", Role.SERVICE, "config");

    private static InboundPublish publish(String topic, byte[] payload) {
        return publishAs(GATEWAY, topic, payload);
    }

    private static InboundPublish publishAs(Principal who, String topic, byte[] payload) {
        return new InboundPublish(topic, 1, false, payload, "client-9", true, 1_700_000_000_000L,
                List.of(new InboundPublish.UserProperty("site", "hall-3"),
                        new InboundPublish.UserProperty("aiot.principal", "forged")),
                who);
    }

    private static InboundPublish publishAs(Principal who, String topic, String payload) {
        return publishAs(who, topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(SpoolRecord r) {
        return r.headers().stream().collect(Collectors.toMap(SpoolRecord.Header::name, h -> utf8(h.value())));
    }

    @Test
    void matches_onlyTheMappedFilters() {
        assertTrue(routes.matches("aiot/v1/things/m1/telemetry"));
        assertTrue(routes.matches("shaded-pole-motor-sensor_data"));
        assertFalse(routes.matches("aiot/v1/things/m1/status"));
        assertFalse(routes.matches("aiot/v1/things/m1/telemetry/extra"));
        assertFalse(routes.matches("aiot/v1/things/telemetry"));
    }

    @Test
    void telemetry_isKeyedByThePlaceholderLevel_withHeaders() {
        var d = assertInstanceOf(UplinkRoutes.Forward.class,
                routes.decide(publish("aiot/v1/things/m1/telemetry", "{}")));
        assertEquals("aiot.telemetry", d.record().topic());
        assertEquals("m1", utf8(d.record().key()));
        Map<String, String> h = headers(d.record());
        assertEquals("aiot/v1/things/m1/telemetry", h.get("mqtt.topic"));
        assertEquals("1", h.get("mqtt.qos"));
        assertEquals("client-9", h.get("mqtt.clientId"));
        assertEquals("1700000000000", h.get("mqtt.receivedAt"));
        assertEquals("hall-3", h.get("mqtt.user.site"));
        assertEquals("gw", h.get("aiot.principal"), "the connection's principal, not the user property");
        assertEquals("service", h.get("aiot.principalRole"));
    }

    @Test
    void telemetryWhosePayloadNamesAnotherDevice_isDeadLetteredWithTheReason_evenFromAService() {
        Principal devA = new Principal("devA", Role.DEVICE, "registry");
        String forged = "{\"schema\":1,\"deviceId\":\"devB\",\"ts\":1,\"seq\":1,\"features\":{\"x\":1}}";
        for (Principal who : List.of(devA, GATEWAY)) {
            var d = assertInstanceOf(UplinkRoutes.DeadLetter.class,
                    routes.decide(publishAs(who, "aiot/v1/things/devA/telemetry", forged)), who.name());
            assertEquals("payload deviceId 'devB' differs from the topic's {deviceId} 'devA'", d.reason());
            assertEquals(d.reason(), headers(d.record()).get("aiot.error"));
            assertEquals(who.name(), headers(d.record()).get("aiot.principal"));
        }
        assertInstanceOf(UplinkRoutes.Forward.class, routes.decide(publishAs(devA, "aiot/v1/things/devA/telemetry",
                forged.replace("devB", "devA"))));
        assertInstanceOf(UplinkRoutes.Forward.class, routes.decide(publishAs(GATEWAY, "aiot/v1/things/devB/telemetry",
                forged)), "a service publishes for any device, under that device's topic");
    }

    @Test
    void deviceOnAnotherDevicesTopic_isDeadLettered() {
        var d = assertInstanceOf(UplinkRoutes.DeadLetter.class, routes.decide(publishAs(
                new Principal("devA", Role.DEVICE, "registry"), "aiot/v1/things/devB/alerts", "{}")));
        assertEquals("topic names {deviceId} 'devB' but the publisher is device 'devA'", d.reason());
    }

    @Test
    void referenceFirmwareReadingFromADevice_mustCarryItsOwnDeviceId() {
        String reading = "{\"deviceID\": \"%s\", \"current\": 4.69, \"temperature\": 39.06, "
                + "\"vibration\": 39.06, \"sound\": 12.50, \"fft_data\": \"true\"}";
        for (Role role : List.of(Role.LEGACY_DEVICE, Role.DEVICE)) {
            Principal chip = new Principal("14333616", role, "registry");
            var d = assertInstanceOf(UplinkRoutes.DeadLetter.class, routes.decide(publishAs(chip,
                    "shaded-pole-motor-sensor_data", String.format(Locale.ROOT, reading, "14333617"))));
            assertEquals("record key json:deviceID '14333617' is not the publishing device '14333616'", d.reason());
            var ok = assertInstanceOf(UplinkRoutes.Forward.class, routes.decide(publishAs(chip,
                    "shaded-pole-motor-sensor_data", String.format(Locale.ROOT, reading, "14333616"))));
            assertEquals("14333616", utf8(ok.record().key()));
        }
        var gw = assertInstanceOf(UplinkRoutes.Forward.class, routes.decide(publishAs(GATEWAY,
                "shaded-pole-motor-sensor_data", String.format(Locale.ROOT, reading, "14333617"))));
        assertEquals("14333617", utf8(gw.record().key()));
    }

    @Test
    void messageIds_areUniqueAndShareTheBootId() {
        var a = (UplinkRoutes.Forward) routes.decide(publish("aiot/v1/things/m1/raw", "x"));
        var b = (UplinkRoutes.Forward) routes.decide(publish("aiot/v1/things/m1/raw", "x"));
        String ia = headers(a.record()).get("aiot.messageId");
        String ib = headers(b.record()).get("aiot.messageId");
        assertFalse(ia.equals(ib));
        assertEquals(ia.split("-")[0], ib.split("-")[0]);
    }

    @Test
    void referenceFirmware_isKeyedByDeviceIdField_numbersToo() {
        var mappings = new ConfigLoader(k -> null).load(null, List.of(
                "bridge.uplink=[{mqtt: x, kafka: y, payload: json, key: \"json:id\"}]")).config().bridge().uplink();
        var d = (UplinkRoutes.Forward) new UplinkRoutes(mappings, new MessageIds(new SecureRandom()))
                .decide(publish("x", "{\"id\":2462}"));
        assertEquals("2462", utf8(d.record().key()));
    }

    @Test
    void rawFrames_acceptAnyBytes() {
        byte[] frame = {0, (byte) 0xff, 0x7f, (byte) 0x80};
        var d = (UplinkRoutes.Forward) routes.decide(publish("aiot/v1/things/m1/raw", frame));
        assertArrayEquals(frame, d.record().value());
    }

    @Test
    void badPayloads_areDeadLetteredWithPreciseReasons() {
        Map<String, String> cases = Map.of(
                "{\"a\":", "payload is not valid JSON",
                "[1,2]", "payload must be a JSON object",
                "", "payload must be a JSON object",
                "{\"current\":1}",
                "payload does not match builtin:reference-sensor-data: (root): required property 'deviceID' not found",
                "{\"deviceID\":\"1\",\"current\":\"hot\",\"temperature\":1,\"vibration\":1,\"sound\":1}",
                "payload does not match builtin:reference-sensor-data: /current: string found, number expected");
        cases.forEach((payload, reason) -> {
            String topic = payload.contains("current")
                    ? "shaded-pole-motor-sensor_data" : "aiot/v1/things/m1/telemetry";
            var d = assertInstanceOf(UplinkRoutes.DeadLetter.class, routes.decide(publish(topic, payload)), payload);
            assertTrue(d.reason().startsWith(reason), payload + " -> " + d.reason());
            assertEquals("aiot.deadletter", d.record().topic());
            assertEquals(d.reason(), headers(d.record()).get("aiot.error"));
            assertEquals("client-9", utf8(d.record().key()));
            assertEquals(payload, utf8(d.record().value()));
        });
    }

    @Test
    void oversizeAndDeeplyNestedPayloads_areDeadLettered() {
        byte[] big = new byte[65537];
        var over = (UplinkRoutes.DeadLetter) routes.decide(publish("aiot/v1/things/m1/telemetry", big));
        assertEquals("payload of 65537 bytes exceeds the limit of 65536 for aiot/v1/things/{deviceId}/telemetry",
                over.reason());
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        var nested = (UplinkRoutes.DeadLetter) routes.decide(publish("aiot/v1/things/m1/alerts", deep));
        assertTrue(nested.reason().startsWith("payload is not valid JSON"), nested.reason());
    }

    @Test
    void requiredFields_areChecked() {
        var mappings = new ConfigLoader(k -> null).load(null, List.of(
                "bridge.uplink=[{mqtt: x, kafka: y, payload: json, requiredFields: [ts]}]")).config().bridge().uplink();
        var d = (UplinkRoutes.DeadLetter) new UplinkRoutes(mappings, new MessageIds(new SecureRandom()))
                .decide(publish("x", "{\"a\":1}"));
        assertEquals("payload lacks the required field 'ts'", d.reason());
    }

    @Test
    void jsonKeyThatIsNotAStringOrNumber_isDeadLettered() {
        var mappings = new ConfigLoader(k -> null).load(null, List.of(
                "bridge.uplink=[{mqtt: x, kafka: y, payload: json, key: \"json:id\"}]")).config().bridge().uplink();
        var d = (UplinkRoutes.DeadLetter) new UplinkRoutes(mappings, new MessageIds(new SecureRandom()))
                .decide(publish("x", "{\"id\":{\"x\":1}}"));
        assertEquals("no record key: json:id is missing or not a string or number", d.reason());
    }

    @Test
    void referenceFirmwarePayloadFromItsSource_matchesTheBuiltInSchema() {
        String fromFirmware = "{\"deviceID\": \"14333616\", \"current\": 4.69, \"temperature\": 39.06, "
                + "\"vibration\": 39.06, \"sound\": 12.50, \"fft_data\": \"true\"}";
        assertInstanceOf(UplinkRoutes.Forward.class,
                routes.decide(publish("shaded-pole-motor-sensor_data", fromFirmware)));
    }

    @Test
    void keyNone_sendsNoKey() {
        var mappings = new ConfigLoader(k -> null).load(null, List.of("bridge.uplink=[{mqtt: x, kafka: y, key: none}]"))
                .config().bridge().uplink();
        var d = (UplinkRoutes.Forward) new UplinkRoutes(mappings, new MessageIds(new SecureRandom()))
                .decide(publish("x", "1"));
        assertNull(d.record().key());
    }
}
