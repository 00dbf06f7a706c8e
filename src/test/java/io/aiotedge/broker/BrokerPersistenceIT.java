package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Mqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With the default file persistence, retained messages and queued session messages survive a restart. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerPersistenceIT {
    @TempDir
    Path dir;

    @Test
    void restart_keepsRetainedMessageAndPersistentSessionQueue() throws Exception {
        BrokerFixture first = new BrokerFixture(dir).start();
        int port = first.port();
        // a device with a persistent session subscribes to its control topic, then goes offline
        Mqtt5BlockingClient device = Mqtt.v5(port, "motor-A");
        device.connectWith().cleanStart(true).sessionExpiryInterval(3600).simpleAuth().username("motor-A")
                .password(utf8(BrokerFixture.password("motor-A"))).applySimpleAuth().send();
        device.subscribeWith().topicFilter("aiot/v1/things/motor-A/control").qos(MqttQos.AT_LEAST_ONCE).send();
        device.publishWith().topic("aiot/v1/things/motor-A/status").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("online")).send();
        device.disconnect();
        // while it is offline the platform sends it a QoS1 command
        Mqtt5BlockingClient platform = Mqtt.v5(port, "platform");
        Mqtt.connect(platform, "gw");
        platform.publishWith().topic("aiot/v1/things/motor-A/control").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"servo\":90}")).send();
        platform.disconnect();
        first.stop();

        BrokerFixture second = new BrokerFixture(dir, "mqtt.port=" + port).start();
        try {
            Mqtt5BlockingClient back = Mqtt.v5(second.port(), "motor-A");
            try (var inbox = back.publishes(MqttGlobalPublishFilter.ALL)) {
                var ack = back.connectWith().cleanStart(false).sessionExpiryInterval(3600).simpleAuth()
                        .username("motor-A").password(utf8(BrokerFixture.password("motor-A"))).applySimpleAuth().send();
                assertTrue(ack.isSessionPresent(), "the session survived the restart");
                Optional<Mqtt5Publish> queued = inbox.receive(15, TimeUnit.SECONDS);
                assertEquals("{\"servo\":90}",
                        new String(queued.orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8));

                Mqtt5BlockingClient observer = Mqtt.v5(second.port(), "observer");
                Mqtt.connect(observer, "gw");
                try (var retained = observer.publishes(MqttGlobalPublishFilter.ALL)) {
                    observer.subscribeWith().topicFilter("aiot/v1/things/motor-A/status").send();
                    Mqtt5Publish status = retained.receive(15, TimeUnit.SECONDS).orElseThrow();
                    assertTrue(status.isRetain());
                    assertEquals("online", new String(status.getPayloadAsBytes(), StandardCharsets.UTF_8));
                }
                observer.disconnect();
            }
            back.disconnect();
        } finally {
            second.stop();
        }
    }
}
