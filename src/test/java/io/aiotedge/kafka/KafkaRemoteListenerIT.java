package io.aiotedge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.Proc;
import io.aiotedge.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's remote listener: SASL_SSL with SCRAM-SHA-512 users whose kind decides what
 * they may do, nobody in without valid credentials, and the node's own loopback clients unchanged.
 * One broker for the class (restarted once, by the last test, with changed users).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaRemoteListenerIT {
    private static final String INFER_PW = "infer-1-secret-pw";
    private static final String GW_PW = "gw-1-secret-pw-x";
    private static final String OPS_PW = "ops-1-secret-pw-x";

    @TempDir
    static Path dir;
    static Path keystore;
    static String certificatePem;
    static BoundPorts ports = new BoundPorts();
    static KafkaComponent kafka;

    @BeforeAll
    static void start() throws Exception {
        keystore = dir.resolve("kafka.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Proc.Result made = Proc.run(60, List.of(keytool, "-genkeypair", "-alias", "kafka", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"));
        assertEquals(0, made.exitCode(), made.stderr());
        Proc.Result cert = Proc.run(60, List.of(keytool, "-exportcert", "-rfc", "-alias", "kafka", "-keystore",
                keystore.toString(), "-storepass", "changeit"));
        assertEquals(0, cert.exitCode(), cert.stderr());
        certificatePem = cert.stdout().trim();
        kafka = new KafkaComponent(config("[{name: infer-1, password: " + INFER_PW + ", kind: inference},"
                + " {name: gw-1, password: " + GW_PW + ", kind: gateway},"
                + " {name: ops-1, password: " + OPS_PW + ", kind: admin}]"), dir, ports, List.of());
        kafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.stop();
    }

    private static KafkaConfig config(String users) {
        return new ConfigLoader(k -> null).load(null, List.of("kafka.port=0", "kafka.advertisedHost=127.0.0.1",
                "kafka.partitions=1", "kafka.startupTimeoutSeconds=60", "kafka.remote.port=0",
                "kafka.remote.bindAddress=127.0.0.1", "kafka.remote.advertisedHost=127.0.0.1",
                "kafka.remote.keystorePath=" + keystore, "kafka.remote.keystorePassword=changeit",
                "kafka.remote.users=" + users)).config().kafka();
    }

    private static Properties remote(String user, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + ports.get(KafkaComponent.REMOTE_PORT));
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.certificates", certificatePem);
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        p.put("max.block.ms", "15000");
        p.put("delivery.timeout.ms", "20000");
        return p;
    }

    /** Sends one record; the exception Kafka answered with, or null when it was written. */
    private static Throwable send(Properties client, String topic, String value) throws InterruptedException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (KafkaException | java.util.concurrent.TimeoutException e) {
            return e;
        }
    }

    /** Polls {@code topic} from the beginning in {@code group} until a value matches; the exception otherwise. */
    private static Object readUntil(Properties client, String group, String topic, String value) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long until = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value().equals(value)) {
                        return r.value();
                    }
                }
            }
            return "not found";
        } catch (KafkaException e) {
            return e;
        }
    }

    @Test
    @Order(1)
    void inferenceUser_readsTelemetryAndWritesControl_andIsRefusedTheRest() throws Exception {
        KafkaRecords.produce(kafka.bootstrapServers(), Topics.TELEMETRY, KafkaRecords.utf8("motor-A"),
                KafkaRecords.utf8("telemetry-1"));
        Properties infer = remote("infer-1", INFER_PW);
        assertEquals("telemetry-1", readUntil(infer, "aiot-inference-remote", Topics.TELEMETRY, "telemetry-1"));
        assertEquals(null, send(infer, Topics.CONTROL, "servo-from-inference"));
        assertEquals(null, send(infer, Topics.ALERTS, "alert-from-inference"));
        assertInstanceOf(AuthorizationException.class, send(infer, Topics.TELEMETRY, "forged-telemetry"));
        assertInstanceOf(AuthorizationException.class, send(infer, Topics.MODELS, "forged-announcement"));
        assertInstanceOf(AuthorizationException.class, readUntil(infer, "aiot-inference-x", Topics.ALERTS, "x"));
        assertInstanceOf(AuthorizationException.class, readUntil(infer, "someone-elses-group", Topics.TELEMETRY,
                "telemetry-1"));
        assertTrue(KafkaRecords.all(kafka.bootstrapServers(), Topics.TELEMETRY).stream()
                .noneMatch(r -> r.text().equals("forged-telemetry")));
    }

    @Test
    @Order(2)
    void gatewayUser_mayNotTouchAnyTopic() throws Exception {
        Properties gw = remote("gw-1", GW_PW);
        assertInstanceOf(AuthorizationException.class, send(gw, Topics.CONTROL, "servo-from-gateway"));
        assertInstanceOf(AuthorizationException.class, send(gw, Topics.TELEMETRY, "telemetry-from-gateway"));
        assertInstanceOf(AuthorizationException.class, readUntil(gw, "aiot-inference-gw", Topics.TELEMETRY,
                "telemetry-1"));
    }

    @Test
    @Order(3)
    void adminUser_mayDoAnything() throws Exception {
        Properties ops = remote("ops-1", OPS_PW);
        assertEquals(null, send(ops, Topics.MODELS, "from-admin"));
        try (Admin admin = Admin.create(ops)) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(Topics.ALL));
        }
    }

    @Test
    @Order(4)
    void noCredentialsOrWrongPassword_areRefused() throws Exception {
        Properties wrong = remote("infer-1", "not-the-password");
        ExecutionException bad = assertThrows(ExecutionException.class, () -> listTopics(wrong));
        assertInstanceOf(SaslAuthenticationException.class, bad.getCause());
        Properties unknown = remote("mallory", "whatever-password");
        assertInstanceOf(SaslAuthenticationException.class,
                assertThrows(ExecutionException.class, () -> listTopics(unknown)).getCause());
        Properties tlsOnly = remote("x", "y");
        tlsOnly.put("security.protocol", "SSL"); // no SASL at all: the listener never answers a request
        tlsOnly.put("default.api.timeout.ms", "5000");
        assertThrows(Exception.class, () -> listTopics(tlsOnly));
        Properties plain = remote("x", "y");
        plain.put("security.protocol", "PLAINTEXT");
        plain.put("default.api.timeout.ms", "5000");
        assertThrows(Exception.class, () -> listTopics(plain));
    }

    @Test
    @Order(5)
    void loopbackPlaintext_stillServesTheNodesOwnClients() throws Exception {
        KafkaRecords.produce(kafka.bootstrapServers(), Topics.CONTROL, KafkaRecords.utf8("motor-A"),
                KafkaRecords.utf8("loopback-1"));
        assertTrue(KafkaRecords.all(kafka.bootstrapServers(), Topics.CONTROL).stream()
                .anyMatch(r -> r.text().equals("loopback-1")));
        assertTrue(KafkaRecords.all(kafka.bootstrapServers(), Topics.CONTROL).stream()
                .anyMatch(r -> r.text().equals("servo-from-inference")), "the inference user's record arrived");
    }

    @Test
    @Order(6)
    void restartWithChangedUsers_credentialsFollowTheConfig() throws Exception {
        kafka.stop();
        String newPw = "infer-1-rotated-pw";
        kafka = new KafkaComponent(config("[{name: infer-1, password: " + newPw + ", kind: inference}]"), dir, ports,
                List.of());
        kafka.start(); // same, already formatted log dir
        assertInstanceOf(SaslAuthenticationException.class,
                assertThrows(ExecutionException.class, () -> listTopics(remote("infer-1", INFER_PW))).getCause());
        assertInstanceOf(SaslAuthenticationException.class,
                assertThrows(ExecutionException.class, () -> listTopics(remote("ops-1", OPS_PW))).getCause(),
                "a user no longer configured is removed");
        assertEquals(null, send(remote("infer-1", newPw), Topics.CONTROL, "after-rotation"));
    }

    private static void listTopics(Properties p) throws Exception {
        try (Admin admin = Admin.create(p)) {
            admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
