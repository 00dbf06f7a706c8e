package io.aiotedge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JAR's {@code certs ca} and {@code certs node} as an operator runs them, and their output used
 * for real: a node serves MQTT over TLS and HTTPS from {@code N.p12}; a client that trusts only
 * {@code truststore.p12} connects to both by IP, one with the JVM's default trust does not.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CertsCommandIT {
    @TempDir
    Path dir;

    @Test
    void caThenNode_outputServesMqttTlsAndHttps_toClientTrustingOnlyTheTrustStore() throws Exception {
        Path certs = dir.resolve("certs");
        Proc.Result ca = NodeProcess.run(60, "certs", "ca", "--dir", certs.toString());
        assertEquals(0, ca.exitCode(), ca.stdout() + ca.stderr());
        Proc.Result node = NodeProcess.run(60, "certs", "node", "--dir", certs.toString(), "--name", "plat1", "--ip",
                "127.0.0.1", "--dns", "localhost");
        assertEquals(0, node.exitCode(), node.stdout() + node.stderr());
        String password = Files.readString(certs.resolve("store-password"), StandardCharsets.UTF_8).strip();
        assertFalse((ca.stdout() + ca.stderr() + node.stdout() + node.stderr()).contains(password),
                "the password is never printed");
        assertTrue(node.stdout().contains("SANs:     IP:127.0.0.1, DNS:localhost"), node.stdout());
        assertTrue(node.stdout().contains("wrote     " + certs.resolve("plat1.p12")), node.stdout());

        Path data = dir.resolve("node");
        Path store = certs.resolve("plat1.p12");
        try (NodeProcess p = NodeProcess.start(data, List.of("-Xmx384m"), "run", "--role", "platform", "--data-dir",
                data.toString(), "--set", "kafka.mode=off", "--set", "mqtt.port=0", "--set", "mqtt.tlsPort=0",
                "--set", "http.port=0", "--set", "mqtt.bindAddress=127.0.0.1", "--set", "http.bindAddress=127.0.0.1",
                "--set", "mqtt.tls.keystorePath=" + store, "--set", "mqtt.tls.keystorePassword=" + password,
                "--set", "mqtt.tls.privateKeyPassword=" + password, "--set", "http.tls.keystorePath=" + store,
                "--set", "http.tls.keystorePassword=" + password)) {
            var runtime = p.awaitRuntime(Duration.ofSeconds(120)).path("ports");
            SSLContext trusting = trusting(certs.resolve("truststore.p12"), password);

            HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();
            HttpResponse<String> live = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + runtime.path("http").asInt() + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode(), live.body());
            assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + runtime.path("http").asInt()
                            + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString()));

            String admin = Files.readString(new KeyFiles(data).adminToken()).trim();
            String token = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + runtime.path("http").asInt() + "/api/v1/devices")).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"m-1\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
            String secret = token.substring(token.lastIndexOf('.') + 1);
            int tls = runtime.path("mqttTls").asInt();
            TrustManagerFactory tmf = trustManagers(certs.resolve("truststore.p12"), password);
            Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("m-1").serverHost("127.0.0.1").serverPort(tls)
                    .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(tmf).build()).buildBlocking();
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connectWith().simpleAuth().username("m-1")
                    .password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().getReasonCode());
            c.disconnect();
            Mqtt5BlockingClient untrusting = Mqtt5Client.builder().identifier("m-1").serverHost("127.0.0.1")
                    .serverPort(tls).sslWithDefaultConfig().buildBlocking();
            Exception refused = assertThrows(RuntimeException.class, () -> untrusting.connectWith().simpleAuth()
                    .username("m-1").password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send());
            assertTrue(causedBy(refused, SSLHandshakeException.class), refused.toString());

            // the CLI finds https in runtime.json's listeners and trusts the node through --trust-store
            Proc.Result list = NodeProcess.run(60, "devices", "list", "--data-dir", data.toString(), "--trust-store",
                    certs.resolve("truststore.p12").toString());
            assertEquals(0, list.exitCode(), list.stdout() + list.stderr());
            assertTrue(list.stdout().contains("m-1"), list.stdout());
            Proc.Result jvmTrust = NodeProcess.run(60, "devices", "list", "--data-dir", data.toString());
            assertEquals(1, jvmTrust.exitCode(), jvmTrust.stdout() + jvmTrust.stderr());
            assertTrue(jvmTrust.stderr().contains("SSLHandshakeException"), jvmTrust.stderr());
        }
    }

    @Test
    void node_opensslVerifiesTheLeafAgainstCaPem() throws Exception {
        Assumptions.assumeTrue(Proc.available("openssl"), "openssl is not installed");
        Path certs = dir.resolve("certs");
        assertEquals(0, NodeProcess.run(60, "certs", "ca", "--dir", certs.toString()).exitCode());
        assertEquals(0, NodeProcess.run(60, "certs", "node", "--dir", certs.toString(), "--name", "k1", "--ip",
                "10.213.0.21").exitCode());
        Proc.Result v = Proc.run(30, List.of("openssl", "verify", "-CAfile", certs.resolve("ca.pem").toString(),
                certs.resolve("k1.pem").toString()));
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
        assertEquals(certs.resolve("k1.pem") + ": OK", v.stdout().strip());
        Proc.Result key = Proc.run(30, List.of("openssl", "pkey", "-in", certs.resolve("k1.key.pem").toString(),
                "-noout"));
        assertEquals(0, key.exitCode(), key.stderr());
    }

    @Test
    void caTwiceAndNodeWithoutSan_exitTwoWithTheReason() throws Exception {
        Path certs = dir.resolve("certs");
        assertEquals(0, NodeProcess.run(60, "certs", "ca", "--dir", certs.toString()).exitCode());
        Proc.Result again = NodeProcess.run(60, "certs", "ca", "--dir", certs.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.stderr().contains("ca.p12 exists: 'certs ca' does not replace a plant CA"), again.stderr());
        Proc.Result noSan = NodeProcess.run(60, "certs", "node", "--dir", certs.toString(), "--name", "n1");
        assertEquals(2, noSan.exitCode());
        assertTrue(noSan.stderr().contains("certs node needs at least one --ip or --dns"), noSan.stderr());
        assertFalse(Files.exists(certs.resolve("n1.p12")));
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static TrustManagerFactory trustManagers(Path store, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    private static SSLContext trusting(Path store, String password) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustManagers(store, password).getTrustManagers(), null);
        return ctx;
    }
}
