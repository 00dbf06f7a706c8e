package io.aiotedge.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.aiotedge.support.Api;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.PlatformNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry and the broker together, and the reference firmware's way in: real HiveMQ, real
 * MQTT clients (v5 for our devices, v3.1.1 like the ESP32's PubSubClient), Kafka off.
 */
class PlatformDevicesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static PlatformNode node;
    static Api api;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        node = new PlatformNode(dir, "kafka.mode=off", "compat.legacyDevices=true",
                "compat.legacyModelName=shaded-pole");
        api = node.api();
        admin = api.admin();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    static JsonNode provision(String id) {
        Api.Res r = api.postJson("/api/v1/devices", admin, "{\"id\":\"" + id + "\"}");
        assertEquals(201, r.status(), r.text());
        return r.json();
    }

    static Mqtt5BlockingClient connect(String clientId, String user, String secret) {
        Mqtt5BlockingClient c = Mqtt.v5(node.mqtt(), clientId);
        c.connectWith().simpleAuth().username(user).password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send();
        return c;
    }

    @Test
    void aProvisionedDevice_connectsWithItsCredentials_andIsConfinedToItsOwnTopics() throws Exception {
        String secret = provision("m-1").get("secret").asText();
        provision("m-2");
        Mqtt5BlockingClient c = connect("m-1", "m-1", secret);
        try {
            assertTrue(c.publishWith().topic("aiot/v1/things/m-1/alerts").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Mqtt.utf8("{}")).send().getError().isEmpty());
            Mqtt5PubAckException denied = assertThrows(Mqtt5PubAckException.class, () -> c.publishWith()
                    .topic("aiot/v1/things/m-2/alerts").qos(MqttQos.AT_LEAST_ONCE).payload(Mqtt.utf8("{}")).send());
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, denied.getMqttMessage().getReasonCode());
            assertThrows(Exception.class, () -> c.subscribeWith().topicFilter("aiot/v1/things/m-2/#").send());
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/devices/m-1", admin).json()
                    .get("online").asBoolean());
        } finally {
            c.disconnect();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !api.get("/api/v1/devices/m-1", admin).json()
                .get("online").asBoolean());
        assertThrows(Exception.class, () -> connect("m-1", "m-1", "wrong-secret"));
    }

    @Test
    void revocation_dropsTheLiveConnection_andRefusesTheNextConnect() {
        String secret = provision("m-rev").get("secret").asText();
        Mqtt5BlockingClient c = connect("m-rev", "m-rev", secret);
        assertEquals("REVOKED", api.postJson("/api/v1/devices/m-rev/revoke", admin, "").json().get("state").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> !c.getState().isConnected());
        assertThrows(Exception.class, () -> connect("m-rev", "m-rev", secret));
        assertEquals(403, api.get("/api/v1/devices/m-rev", "m-rev." + secret).status());
    }

    @Test
    void statusReports_overMqtt_showUpAsFirmwareAndRolloutState() throws Exception {
        String secret = provision("m-st").get("secret").asText();
        Mqtt5BlockingClient c = connect("m-st", "m-st", secret);
        try {
            c.publishWith().topic("aiot/v1/things/m-st/status").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .payload(Mqtt.utf8("{\"state\":\"online\",\"firmware\":\"3.1.0\",\"rollout\":{\"model\":\"motor\","
                            + "\"version\":4,\"state\":\"downloading\",\"detail\":\"41%\"}}"))
                    .send();
            c.publishWith().topic("aiot/v1/things/m-st/status").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Mqtt.utf8("not json")).send();
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/models/motor/rollout?version=4", admin)
                    .json().get("devices").size() == 1);
            JsonNode r = api.get("/api/v1/models/motor/rollout", admin).json().get("devices").get(0);
            assertEquals("downloading", r.get("state").asText());
            assertEquals("41%", r.get("detail").asText());
            assertEquals("3.1.0", api.get("/api/v1/devices/m-st", admin).json().get("firmwareVersion").asText());
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aNewChampion_isAnnouncedRetained_withEverythingToFetchAndCheckIt() throws Exception {
        String secret = provision("m-ann").get("secret").asText();
        byte[] model = PlatformApiIT.model(777, 42);
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("file", model);
        parts.put("metadata", PlatformApiIT.META);
        assertEquals(201, api.postMultipart("/api/v1/models/announced/versions?alias=champion", admin, parts).status());
        Mqtt5BlockingClient c = connect("m-ann", "m-ann", secret);
        try (Mqtt5BlockingClient.Mqtt5Publishes pubs = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("aiot/v1/models/announced/latest").qos(MqttQos.AT_LEAST_ONCE).send();
            Optional<Mqtt5Publish> p = pubs.receive(10, TimeUnit.SECONDS);
            assertTrue(p.isPresent(), "the retained announcement arrives on subscribe");
            assertTrue(p.get().isRetain());
            JsonNode a = JSON.readTree(p.get().getPayloadAsBytes());
            assertEquals(1, a.get("version").asInt());
            assertEquals(PlatformApiIT.sha256(model), a.get("sha256").asText());
            assertEquals(777, a.get("size").asInt());
            assertEquals("current_rms", a.get("inputSchema").get("features").get(0).asText());
            String token = "m-ann." + secret;
            Api.Res dl = api.get(a.get("path").asText(), token);
            assertEquals(200, dl.status());
            assertArrayEquals(model, dl.body());
            assertTrue(io.aiotedge.models.ModelSigner.verify(
                    io.aiotedge.models.ModelSigner.parsePublicKey(api.get("/api/v1/signing-key", null).json()
                            .get("publicKey").asText()),
                    a.get("signedStatement").asText().getBytes(StandardCharsets.UTF_8), a.get("signature").asText()));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void referenceFirmwareDevice_isLetInOnlyOnceProvisionedAndActivated_andOnlyToItsTwoTopics() throws Exception {
        String chip = "14333616";
        assertThrows(Exception.class, () -> Mqtt.v3(node.mqtt(), chip).connect(), "unknown chip ids stay out");
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=" + chip).text());
        Api.Res prov = api.postForm("/provisionDevice", admin, "device_id=" + chip);
        assertEquals(200, prov.status());
        assertTrue(prov.json().get("activationCode").asText().length() >= 20, "a one-time code for the operator");
        assertEquals(401, api.postForm("/provisionDevice", null, "device_id=999").status());
        assertThrows(Exception.class, () -> Mqtt.v3(node.mqtt(), chip).connect(), "provisioned but not activated");
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=" + chip).text(),
                "the chip id alone activates nothing");
        assertThrows(Exception.class, () -> Mqtt.v3(node.mqtt(), chip).connect(), "still not activated");
        // the operator's step (docs/platform.md): activate the chip id with the admin token
        assertEquals("ACTIVE", api.postJson("/api/v1/devices/" + chip + "/activate", admin, "").json()
                .get("state").asText());
        Api.Res act = api.postForm("/confirmActivation", null, "device_id=" + chip);
        assertEquals("TRUE", act.text(), "the unchanged firmware's boot-time call now succeeds");
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=nobody").text());

        Mqtt3BlockingClient esp = Mqtt.v3(node.mqtt(), chip);
        esp.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes pubs = esp.publishes(MqttGlobalPublishFilter.ALL)) {
            esp.subscribeWith().topicFilter("control-message").qos(MqttQos.AT_LEAST_ONCE).send();
            esp.publishWith().topic("shaded-pole-motor-sensor_data").qos(MqttQos.AT_MOST_ONCE)
                    .payload(Mqtt.utf8("{\"deviceID\":\"" + chip + "\",\"current\":1.2,\"temperature\":40,"
                            + "\"vibration\":0.3,\"sound\":55,\"fft_data\":\"true\"}"))
                    .send();
            byte[] model = io.aiotedge.support.Models.servable(4, 500, 7); // the reference's four readings
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("file", new Api.NamedFile("motor_model_quantized.tflite", model));
            Api.Res up = api.postMultipart("/uploadQuantizedModel", admin, parts);
            assertEquals(200, up.status(), up.text());
            Optional<com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish> cmd = pubs.receive(10,
                    TimeUnit.SECONDS);
            assertTrue(cmd.isPresent(), "the legacy download command arrives");
            JsonNode c = JSON.readTree(cmd.get().getPayloadAsBytes());
            assertEquals("download-model", c.get("command").asText());
            assertEquals("motor_model_quantized.tflite", c.get("payload").asText());
            Api.Res dl = api.get("/quantized/" + c.get("payload").asText(), null);
            assertEquals(200, dl.status());
            assertArrayEquals(model, dl.body());
            assertEquals(404, api.get("/quantized/other.tflite", null).status());
        }
        assertThrows(Exception.class, () -> esp.subscribeWith().topicFilter("aiot/#").send());
        assertFalse(esp.getState().isConnected() && publishesOutsideItsTopics(esp));
    }

    @Test
    void apiProvisionedDevice_isNeverActivatedByConfirmActivation_norLetInWithoutCredentials() {
        String secret = provision("m-modern").get("secret").asText();
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=m-modern").text());
        assertEquals("PROVISIONED", api.get("/api/v1/devices/m-modern", admin).json().get("state").asText());
        assertEquals("ACTIVE", api.postJson("/api/v1/devices/m-modern/activate", "m-modern." + secret, "").json()
                .get("state").asText());
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=m-modern").text());
        Mqtt3ConnAckException e = assertThrows(Mqtt3ConnAckException.class,
                () -> Mqtt.v3(node.mqtt(), "m-modern").connect());
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, e.getMqttMessage().getReturnCode());
        Mqtt5BlockingClient c = connect("m-modern", "m-modern", secret);
        c.disconnect();
    }

    @Test
    void compatDevice_presentingItsOneTimeCode_isActivated_once() {
        String chip = "24333616";
        String code = api.postForm("/provisionDevice", admin, "device_id=" + chip).json().get("activationCode")
                .asText();
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=" + chip + "&activation_code=nope")
                .text());
        assertEquals("TRUE", api.postForm("/confirmActivation", null, "device_id=" + chip + "&activation_code=" + code)
                .text());
        Mqtt3BlockingClient esp = Mqtt.v3(node.mqtt(), chip);
        esp.connect();
        esp.disconnect();
        assertEquals("REVOKED", api.postJson("/api/v1/devices/" + chip + "/revoke", admin, "").json().get("state")
                .asText());
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=" + chip + "&activation_code=" + code)
                .text());
    }

    @Test
    void confirmActivation_largeBody_is413BeforeAnyParsing() {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("device_id", "14333616");
        parts.put("pad", new Api.NamedFile("pad.bin", new byte[60_000]));
        Api.Res r = api.postMultipart("/confirmActivation", null, parts);
        assertEquals(413, r.status(), r.text());
        assertEquals(413, r.json().get("status").asInt());
        assertEquals(413, api.postForm("/confirmActivation", null, "device_id=x&pad=" + "y".repeat(5000)).status());
        assertEquals("FALSE", api.postForm("/confirmActivation", null, "device_id=nobody").text(), "small forms work");
    }

    @Test
    void deviceTokenChecks_pastTheAllowance_are429_perAddressAndPerId() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertEquals(403, rawGetStatus("127.0.0.51", "/api/v1/devices/ghost-http", "ghost-http.wrong" + i));
        }
        assertEquals(429, rawGetStatus("127.0.0.51", "/api/v1/devices/ghost-http", "ghost-http.wrong"));
        assertEquals(429, rawGetStatus("127.0.0.51", "/api/v1/devices/other", "other.wrong"), "the address");
        assertEquals(429, rawGetStatus("127.0.0.52", "/api/v1/devices/ghost-http", "ghost-http.x"), "the id");
        assertEquals(403, rawGetStatus("127.0.0.52", "/api/v1/devices/other", "other.wrong"));
    }

    /** A GET from a chosen loopback address (the JDK client cannot bind one), answering the status. */
    private static int rawGetStatus(String local, String path, String token) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.http(), java.net.InetAddress.getByName(local),
                0)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** A v3.1.1 publish outside the ACL ends the connection (3.1.1 has no reason codes). */
    private static boolean publishesOutsideItsTopics(Mqtt3BlockingClient esp) {
        try {
            esp.publishWith().topic("aiot/v1/things/x/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload(Mqtt.utf8("{}"))
                    .send();
        } catch (RuntimeException e) {
            return false;
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !esp.getState().isConnected());
        return false;
    }
}
