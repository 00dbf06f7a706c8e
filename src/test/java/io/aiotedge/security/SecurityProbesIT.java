package io.aiotedge.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.aiotedge.support.Api;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.NodeProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security review's probes (issue 11), each as the review ran it, against one real JAR
 * running {@code platform,inference} on its defaults (ports moved to free ones): what an attacker
 * on the plant network tried, and what the node answers now. The deeper tests of each control are
 * named in docs/security.md.
 */
@Timeout(300)
class SecurityProbesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static NodeProcess node;
    static Api api;
    static String bootstrap;
    static String secretA;

    @BeforeAll
    static void start() throws Exception {
        node = NodeProcess.start(data, List.of("-Xmx512m"), "run", "--role", "platform,inference", "--data-dir",
                data.toString(), "--set", "mqtt.port=0", "--set", "http.port=0", "--set", "kafka.port=0");
        JsonNode rt = node.awaitRuntime(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(120)).until(() -> node.get("/health/ready").statusCode() == 200);
        api = new Api("http://127.0.0.1:" + rt.path("ports").path("http").asInt(),
                Files.readString(data.resolve("keys/admin-token")).trim());
        bootstrap = "127.0.0.1:" + rt.path("ports").path("kafka").asInt();
        secretA = api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"devA\"}").json().get("secret").asText();
        assertEquals(201, api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"devB\"}").status());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            assertEquals(0, node.terminate(Duration.ofSeconds(30)), node.log());
        }
    }

    @Test
    void embeddedKafka_listensOnLoopbackOnly() throws Exception {
        int port = node.port("kafka");
        List<String> listeners = listening(port);
        assertTrue(!listeners.isEmpty(), "the Kafka port " + port + " listens");
        assertEquals(List.of("0100007F"), listeners.stream().distinct().toList(), "bound to 127.0.0.1 only");
    }

    @Test
    void forgedAnnouncementOnKafka_pointingAtAnAttackersListener_isDeadLettered_andTheListenerIsNeverCalled()
            throws Exception {
        try (ServerSocket trap = new ServerSocket()) {
            trap.bind(new InetSocketAddress("127.0.0.1", 0));
            AtomicInteger calls = new AtomicInteger();
            Thread t = new Thread(() -> {
                while (!trap.isClosed()) {
                    try {
                        trap.accept().close();
                        calls.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            String url = "http://127.0.0.1:" + trap.getLocalPort() + "/steal";
            String forged = "{\"schemaVersion\":1,\"name\":\"motor-condition\",\"version\":99,\"sha256\":\""
                    + "ab".repeat(32) + "\",\"size\":100,\"url\":\"" + url + "\",\"path\":\"/steal\",\"signature\":\""
                    + java.util.Base64.getEncoder().encodeToString(new byte[64]) + "\",\"metadataSignature\":\""
                    + java.util.Base64.getEncoder().encodeToString(new byte[64])
                    + "\",\"inputSchema\":{\"features\":[\"x\"]}}";
            kcat("aiot.models", "motor-condition", forged);
            KafkaRecords.Rec dead = awaitRecord("aiot.deadletter", "/steal");
            assertTrue(dead.header("aiot.error").contains("signature does not verify"), dead.header("aiot.error"));
            assertEquals(0, calls.get(), "the node never called the URL a message named");
        }
    }

    @Test
    void controlRecordForAnUnregisteredDevice_producedWithKcat_isDeadLettered_notSentToMqtt() throws Exception {
        kcat("aiot.control", "ghost-7", "{\"command\":\"servo\",\"angle\":90,\"probe\":\"ghost-7\"}");
        KafkaRecords.Rec dead = awaitRecord("aiot.deadletter", "\"probe\":\"ghost-7\"");
        assertTrue(dead.header("aiot.error").contains("not a registered"), dead.header("aiot.error"));
    }

    @Test
    void devA_claimingDevB_inItsOwnTopic_getsPayloadFormatInvalid_andIsDeadLettered() throws Exception {
        Mqtt5BlockingClient devA = Mqtt.v5(node.port("mqtt"), "devA");
        devA.connectWith().simpleAuth().username("devA").password(secretA.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        try {
            Mqtt5PubAckException e = assertThrows(Mqtt5PubAckException.class, () -> devA.publishWith()
                    .topic("aiot/v1/things/devA/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"deviceId\":\"devB\",\"timestamp\":1,\"features\":{\"vibration_rms\":0.99},"
                            + "\"probe\":\"impostor-1\"}").getBytes(StandardCharsets.UTF_8))
                    .send());
            assertEquals(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMqttMessage().getReasonCode());
        } finally {
            devA.disconnect();
        }
        KafkaRecords.Rec dead = awaitRecord("aiot.deadletter", "impostor-1");
        assertEquals("devA", dead.header("aiot.principal"));
    }

    @Test
    void devA_usingAClientIdOfDevB_isRefusedAtConnect() {
        Mqtt5BlockingClient c = Mqtt.v5(node.port("mqtt"), "devB-sess");
        Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> c.connectWith().simpleAuth()
                .username("devA").password(secretA.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, e.getMqttMessage().getReasonCode());
    }

    @Test
    void aMalformedHttpRequest_getsOurJsonErrorShape_notJettysHtml() throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.port("http"))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/json"), answer);
            JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(400, body.path("status").asInt(), answer);
        }
    }

    @Test
    void aNodeToken_opensModelDownloadsOnly() {
        Api.Res issued = api.postJson("/api/v1/nodes", api.admin(), "{\"id\":\"probe-node\"}");
        assertEquals(201, issued.status(), issued.text());
        String token = issued.json().get("token").asText();
        String download = "/api/v1/models/motor-condition/versions/champion/download";
        assertEquals(401, api.get(download, null).status());
        assertEquals(404, api.get(download, token).status(), "authenticated; there is no champion yet");
        assertEquals(403, api.get(download, token.substring(0, token.length() - 2) + "xx").status());
        assertEquals(403, api.get("/api/v1/devices", token).status());
        assertEquals(403, api.postJson("/api/v1/devices", token, "{\"id\":\"by-node\"}").status());
    }

    /** Local addresses (hex, as /proc/net/tcp writes them) of sockets listening on {@code port}. */
    private static List<String> listening(int port) throws Exception {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> out = new java.util.ArrayList<>();
        for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(f))) {
                String[] c = line.trim().split("\\s+");
                if (c.length > 3 && c[1].endsWith(":" + hexPort) && c[3].equals("0A")) {
                    String addr = c[1].substring(0, c[1].indexOf(':'));
                    // ::ffff:127.0.0.1 in tcp6 is 0000000000000000FFFF00000100007F
                    out.add(addr.length() == 32 && addr.startsWith("0000000000000000FFFF0000") ? addr.substring(24)
                            : addr);
                }
            }
        }
        return out;
    }

    private static void kcat(String topic, String key, String value) throws Exception {
        Process p = new ProcessBuilder("kcat", "-b", bootstrap, "-P", "-t", topic, "-K", "\t").start();
        p.getOutputStream().write((key + "\t" + value + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static KafkaRecords.Rec awaitRecord(String topic, String marker) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> KafkaRecords.all(bootstrap, topic).stream().filter(r -> r.text().contains(marker))
                        .findFirst(), java.util.Optional::isPresent)
                .get();
    }
}
