package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.aiotedge.core.Listener;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Proc;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The optional TLS and WebSocket listeners, with a keystore made by the JDK's keytool. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerListenersIT {
    private static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    static BrokerFixture broker;
    static Path keystore;

    @BeforeAll
    static void start() throws Exception {
        keystore = dir.resolve("broker.p12");
        Proc.Result r = Proc.run(60, List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        assertEquals(0, r.exitCode(), r.stderr());
        broker = new BrokerFixture(dir.resolve("data"), "mqtt.tlsPort=0", "mqtt.websocketPort=0",
                "mqtt.tls.keystorePath=" + keystore, "mqtt.tls.keystorePassword=" + PASSWORD,
                "mqtt.tls.privateKeyPassword=" + PASSWORD).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static TrustManagerFactory trustingTheBrokerCertificate() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    private static void roundTrip(Mqtt5ClientBuilder builder) throws InterruptedException {
        Mqtt5BlockingClient c = builder.buildBlocking();
        c.connectWith().simpleAuth().username("gw").password(utf8(BrokerFixture.password("gw"))).applySimpleAuth()
                .send();
        try (var inbox = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("aiot/v1/things/x/telemetry").qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic("aiot/v1/things/x/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("over the wire")).send();
            assertEquals("over the wire",
                    new String(inbox.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                            StandardCharsets.UTF_8));
        }
        c.disconnect();
    }

    @Test
    void tlsListener_clientTrustingTheCertificate_exchangesMessages() throws Exception {
        roundTrip(Mqtt5Client.builder().identifier("tls-gw").serverHost("localhost").serverPort(portOf("mqttTls"))
                .sslConfig().trustManagerFactory(trustingTheBrokerCertificate()).applySslConfig());
    }

    @Test
    void tlsListener_clientNotTrustingTheCertificate_cannotConnect() {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("tls-untrusting").serverHost("localhost")
                .serverPort(portOf("mqttTls")).sslWithDefaultConfig().buildBlocking();
        assertThrows(RuntimeException.class, () -> c.connectWith().simpleAuth().username("gw")
                .password(utf8(BrokerFixture.password("gw"))).applySimpleAuth().send());
    }

    @Test
    void websocketListener_onPathMqtt_exchangesMessages() throws Exception {
        roundTrip(Mqtt5Client.builder().identifier("ws-gw").serverHost("127.0.0.1").serverPort(portOf("mqttWs"))
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig());
    }

    @Test
    void listeners_stillRequireCredentials() {
        Mqtt5BlockingClient anon = Mqtt5Client.builder().identifier("ws-anon").serverHost("127.0.0.1")
                .serverPort(portOf("mqttWs")).webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
        assertThrows(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class, anon::connect);
    }

    @Test
    void listeners_reportEachSocketWithItsTlsAndAuthentication() {
        assertEquals(List.of(
                new Listener("mqtt", "127.0.0.1", portOf("mqtt"), false, "none", "password", false, ""),
                new Listener("mqttTls", "127.0.0.1", portOf("mqttTls"), true, "none", "password", false, ""),
                new Listener("mqttWs", "127.0.0.1", portOf("mqttWs"), false, "none", "password", false,
                        "WebSocket, path /mqtt")),
                broker.listeners());
    }

    private static int portOf(String name) {
        return broker.port(name);
    }
}
