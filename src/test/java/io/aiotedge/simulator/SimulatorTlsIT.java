package io.aiotedge.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Proc;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulator.tls}: the fleet reaches a broker's TLS listener as the gateway and inference
 * do, trusting the JVM's trust store (here: this test JVM's, set to the broker's certificate).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorTlsIT {
    private static final String PASSWORD = "changeit";
    @TempDir
    static Path dir;
    static BrokerFixture broker;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("broker.p12");
        Proc.Result r = Proc.run(60, List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        assertEquals(0, r.exitCode(), r.stderr());
        System.setProperty("javax.net.ssl.trustStore", keystore.toString()); // this IT's own JVM (reuseForks=false)
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        broker = new BrokerFixture(dir.resolve("data"), "mqtt.tlsPort=0", "mqtt.tls.keystorePath=" + keystore,
                "mqtt.tls.keystorePassword=" + PASSWORD, "mqtt.tls.privateKeyPassword=" + PASSWORD).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void simulatorWithTls_publishesThroughTheTlsListener() throws Exception {
        NodeConfig c = new ConfigLoader(k -> null).load(null, List.of("simulator.enabled=true",
                "simulator.host=localhost", "simulator.port=" + broker.port("mqttTls"), "simulator.tls=true",
                "simulator.username=gw", "simulator.password=" + BrokerFixture.password("gw"), "simulator.motors=2",
                "simulator.framesPerSecond=20")).config();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SimulatorComponent sim = new SimulatorComponent(c.simulator(), c.dsp().windowSize(),
                (float) c.dsp().sampleRate(), c.dsp().channels(), new BoundPorts(), meters);
        Mqtt5BlockingClient watcher = Mqtt5Client.builder().identifier("tls-watcher").serverHost("127.0.0.1")
                .serverPort(broker.port()).simpleAuth().username("ops")
                .password(BrokerFixture.password("ops").getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        watcher.connect();
        try (var inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("aiot/v1/things/+/raw").qos(MqttQos.AT_LEAST_ONCE).send();
            sim.start();
            String topic = inbox.receive(30, TimeUnit.SECONDS).orElseThrow().getTopic().toString();
            assertTrue(topic.matches("aiot/v1/things/motor-00[12]/raw"), topic);
            await().atMost(Duration.ofSeconds(30)).until(() -> meters.counter("aiot_simulator_frames_total",
                    "outcome", "published").count() >= 10);
        } finally {
            sim.stop();
            watcher.disconnect();
        }
    }
}
