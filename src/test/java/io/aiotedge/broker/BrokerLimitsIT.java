package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Mqtt;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Explicit limits are enforced and counted. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerLimitsIT {
    @TempDir
    static Path dir;
    static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(dir, "mqtt.limits.maxConnections=2").start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void maxConnections_oneMoreIsRefusedAndCounted_thenAFreedSlotIsUsable() {
        Mqtt5BlockingClient a = Mqtt.v5(broker.port(), "a");
        Mqtt5BlockingClient b = Mqtt.v5(broker.port(), "b");
        Mqtt.connect(a, "gw");
        Mqtt.connect(b, "ops");
        Mqtt5BlockingClient third = Mqtt.v5(broker.port(), "motor-A/c");
        assertThrows(RuntimeException.class, () -> Mqtt.connect(third, "motor-A"));
        assertTrue(broker.gauge("aiot_mqtt_connections_closed_total") >= 1, "the refusal is counted");

        a.disconnect();
        Mqtt5BlockingClient later = Mqtt.v5(broker.port(), "motor-A/d");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> {
                    Mqtt.connect(later, "motor-A");
                    return later.getState().isConnected();
                });
        later.disconnect();
        b.disconnect();
    }
}
