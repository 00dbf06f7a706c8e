package io.aiotedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.certs.PlantCa;
import io.aiotedge.certs.SubjectNames;
import io.aiotedge.clients.KafkaClients;
import io.aiotedge.clients.MqttConnector;
import io.aiotedge.clients.MqttSession;
import io.aiotedge.clients.MqttSettings;
import io.aiotedge.clients.Trust;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.ConfigException;
import io.aiotedge.core.Listener;
import io.aiotedge.docs.DocsExamplesTest;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.wire.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform node with MQTT over TLS, HTTPS and the Kafka remote listener, all from the files of
 * {@code certs}: it reports exactly the sockets it opened (and as docs/operations.md shows them),
 * and our clients trust it through {@code tls.trustStore} and only through it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NodeExposureIT {
    private static final String INFER_PW = "infer-1-secret-pw";
    @TempDir
    static Path dir;
    static PlatformNode node;
    static Path trustStore;
    static String password;

    @BeforeAll
    static void start() throws Exception {
        Path certs = dir.resolve("certs");
        PlantCa ca = new PlantCa(certs, Clock.systemUTC());
        ca.create("test plant CA", 2, null);
        ca.issueNode("plat1", new SubjectNames(List.of("127.0.0.1"), List.of("localhost")), 2, null);
        password = Files.readString(certs.resolve("store-password"), StandardCharsets.UTF_8).strip();
        trustStore = certs.resolve("truststore.p12");
        Path keys = certs.resolve("plat1.p12");
        node = new PlatformNode(dir.resolve("data"), "http.bindAddress=0.0.0.0", "mqtt.bindAddress=0.0.0.0",
                "mqtt.tlsPort=0", "mqtt.tls.keystorePath=" + keys, "mqtt.tls.keystorePassword=" + password,
                "mqtt.tls.privateKeyPassword=" + password, "http.tls.keystorePath=" + keys,
                "http.tls.keystorePassword=" + password, "kafka.advertisedHost=127.0.0.1", "kafka.partitions=1",
                "kafka.remote.port=0", "kafka.remote.bindAddress=0.0.0.0", "kafka.remote.advertisedHost=127.0.0.1",
                "kafka.remote.keystorePath=" + keys, "kafka.remote.keystorePassword=" + password,
                "kafka.remote.users=[{name: infer-1, password: " + INFER_PW + ", kind: inference}]",
                BrokerFixture.usersOverride());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static int port(String name) {
        return node.node().ports().get(name);
    }

    @Test
    void listeners_areExactlyTheSocketsOpened_inNodeAndRuntimeJsonAsDocumented() throws Exception {
        String token = "/health/* and /metrics need no token; the API does";
        List<Listener> expected = List.of(
                new Listener("http", "0.0.0.0", port("http"), true, "none", "token", true, token),
                new Listener("kafka", "127.0.0.1", port("kafka"), false, "none", "none", true,
                        "the node's own clients; super user"),
                new Listener("kafkaController", "127.0.0.1", port("kafkaController"), false, "none", "none", true,
                        "KRaft controller"),
                new Listener("kafkaRemote", "0.0.0.0", port("kafkaRemote"), true, "none", "SCRAM-SHA-512", false,
                        "ACLs per user kind"),
                new Listener("mqtt", "0.0.0.0", port("mqtt"), false, "none", "password", false, ""),
                new Listener("mqttTls", "0.0.0.0", port("mqttTls"), true, "none", "password", false, ""));
        assertEquals(expected, node.node().listeners());
        JsonNode runtime = new ObjectMapper().readTree(dir.resolve("data").resolve(Node.RUNTIME_FILE).toFile());
        List<Listener> written = new ArrayList<>();
        runtime.path("listeners").forEach(l -> written.add(new ObjectMapper().convertValue(l, Listener.class)));
        assertEquals(expected, written);
        assertEquals(6, runtime.path("ports").size());
        assertEquals(List.of("pid", "roles", "ports", "listeners", "memory"), fieldNames(runtime));
        assertEquals(fieldNames(DocsExamplesTest.documentedRuntime().path("memory")),
                fieldNames(runtime.path("memory")), "docs/operations.md shows runtime.json's memory");
        assertTrue(runtime.path("memory").path("capsBytes").asLong() > runtime.path("memory").path("heapMaxBytes")
                .asLong(), runtime.toString());
        List<Listener> documented = new ArrayList<>();
        for (Listener l : DocsExamplesTest.documentedListeners()) {
            documented.add(new Listener(l.name(), l.bindAddress(), port(l.name()), l.tls(), l.clientAuth(),
                    l.authentication(), l.anonymous(), l.note()));
        }
        assertEquals(expected, documented, "docs/operations.md shows this node's listeners");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void mqttClient_trustsTheBrokerWithTheTrustStore_andRefusesItWithTheJvmTrust() {
        TrustConfig trust = new TrustConfig(trustStore, password);
        MqttSession s = new MqttConnector(new MqttSettings("gateway", "127.0.0.1", port("mqttTls"), true, "gw",
                BrokerFixture.password("gw"), trust)).connect("exposure-it-trusted");
        try {
            assertTrue(s.isConnected());
        } finally {
            s.disconnect().orTimeout(5, TimeUnit.SECONDS).join();
        }
        ConfigException e = assertThrows(ConfigException.class, () -> new MqttConnector(new MqttSettings("gateway",
                "127.0.0.1", port("mqttTls"), true, "gw", BrokerFixture.password("gw"))).connect("exposure-it-jvm"));
        assertTrue(e.problems().get(0).startsWith("tls.trustStore: gateway cannot verify the certificate of the "
                + "broker at 127.0.0.1:" + port("mqttTls") + " with the JVM's trust store (set tls.trustStore)"),
                e.getMessage());
    }

    @Test
    void httpsClient_trustsTheServerWithTheTrustStore_andRefusesItWithTheJvmTrust() throws Exception {
        HttpRequest live = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port("http") + "/health/live"))
                .build();
        HttpResponse<String> r = Trust.http(new TrustConfig(trustStore, password)).build().send(live,
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertThrows(SSLHandshakeException.class,
                () -> Trust.http(TrustConfig.JVM).build().send(live, HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void kafkaClient_saslSslWithTrustStore_writes_andWithoutItFailsTheHandshake() throws Exception {
        String client = "kafka.client={security.protocol: SASL_SSL, sasl.mechanism: SCRAM-SHA-512, sasl.jaas.config: "
                + "\"org.apache.kafka.common.security.scram.ScramLoginModule required username=\\\"infer-1\\\" "
                + "password=\\\"" + INFER_PW + "\\\";\", max.block.ms: 15000, delivery.timeout.ms: 20000, "
                + "request.timeout.ms: 10000}";
        KafkaConfig trusted = new ConfigLoader(k -> null).load(null, List.of(client, "tls.trustStore=" + trustStore,
                "tls.trustStorePassword=" + password)).config().kafka();
        assertNull(send(trusted, Topics.ALERTS));
        KafkaConfig untrusted = new ConfigLoader(k -> null).load(null, List.of(client)).config().kafka();
        Throwable refused = send(untrusted, Topics.ALERTS);
        assertInstanceOf(SslAuthenticationException.class, refused, String.valueOf(refused));
    }

    /** Sends one record through the remote listener; the exception Kafka answered with, or null. */
    private static Throwable send(KafkaConfig config, String topic) throws InterruptedException {
        Properties p = KafkaClients.of(config, () -> "127.0.0.1:" + port("kafkaRemote")).producer("exposure-it",
                Map.of());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "alert")).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (KafkaException | java.util.concurrent.TimeoutException e) {
            return e;
        }
    }
}
