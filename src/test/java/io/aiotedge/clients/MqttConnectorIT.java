package io.aiotedge.clients;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.ConfigException;
import io.aiotedge.core.FreePorts;
import io.aiotedge.core.StartupException;
import io.aiotedge.core.mqtt.InboundPublish.UserProperty;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.aiotedge.support.BrokerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one connector against a real broker: it publishes and subscribes, and says why it cannot connect. */
@Timeout(120)
class MqttConnectorIT {
    @TempDir
    static Path tmp;
    static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(tmp, BrokerFixture.usersOverride()).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static MqttSettings as(String user, String password) {
        return new MqttSettings("gateway", "127.0.0.1", broker.port(), false, user, password);
    }

    @Test
    void connect_serviceUser_publishesAndReceivesWithUserProperties() throws Exception {
        MqttSession s = new MqttConnector(as("gw", BrokerFixture.password("gw"))).connect("connector-it", 8);
        try {
            List<String> got = new CopyOnWriteArrayList<>();
            s.subscribe("aiot/v1/things/+/telemetry", 1, null, m -> got.add(m.topic() + " "
                    + new String(m.payload(), StandardCharsets.UTF_8) + " " + m.userProperty("k")))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            byte[] x = "x".getBytes(StandardCharsets.UTF_8);
            assertTrue(s.publish(new OutboundPublish("aiot/v1/things/m-1/telemetry", x, 1, false,
                    List.of(new UserProperty("k", "v")))).get(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(30)).until(() -> !got.isEmpty());
            assertEquals("aiot/v1/things/m-1/telemetry x v", got.get(0));
            assertTrue(s.isConnected());
        } finally {
            s.disconnect().orTimeout(5, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void connect_wrongPassword_isAConfigProblemNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new MqttConnector(as("gw", "wrong-pw")).connect("connector-it-bad"));
        assertTrue(e.problems().get(0).startsWith("gateway.password: the broker at 127.0.0.1:" + broker.port()
                + " refused 'gw'"), e.getMessage());
    }

    @Test
    void connect_noBrokerThere_isAStartupFailureNamingTheKeysToCheck() {
        int free = FreePorts.resolve(0, "127.0.0.1");
        MqttSettings nowhere = new MqttSettings("simulator", "127.0.0.1", free, false, "", "");
        StartupException e = assertThrows(StartupException.class,
                () -> new MqttConnector(nowhere, Duration.ofSeconds(3)).connect("connector-it-none"));
        assertTrue(e.getMessage().contains("within 3 s (check simulator.host, .port"), e.getMessage());
    }
}
