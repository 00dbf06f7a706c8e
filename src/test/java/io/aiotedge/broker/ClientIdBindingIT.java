package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Mqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 finding 5: a device may use only its own client ids, and nobody resumes or takes over
 * a session another principal made (real broker, real v5 and v3.1.1 clients). motor-A plays the
 * attacker, motor-B the victim.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientIdBindingIT {
    @TempDir
    static Path dir;
    static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(dir).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Mqtt5ConnAckReasonCode refusedV5(String clientId, String user) {
        return assertThrows(Mqtt5ConnAckException.class, () -> Mqtt.connect(Mqtt.v5(broker.port(), clientId), user))
                .getMqttMessage().getReasonCode();
    }

    private static Mqtt3ConnAckReturnCode refusedV3(String clientId, String user) {
        return assertThrows(Mqtt3ConnAckException.class, () -> Mqtt.connect(Mqtt.v3(broker.port(), clientId), user))
                .getMqttMessage().getReturnCode();
    }

    /** motor-B's persistent session, subscribed to its control topic, then offline. */
    private static void offlineSessionOfB(String clientId) {
        Mqtt5BlockingClient b = Mqtt.v5(broker.port(), clientId);
        b.connectWith().cleanStart(true).sessionExpiryInterval(3600).simpleAuth().username("motor-B")
                .password(utf8(BrokerFixture.password("motor-B"))).applySimpleAuth().send();
        b.subscribeWith().topicFilter("aiot/v1/things/motor-B/control").qos(MqttQos.AT_LEAST_ONCE).send();
        b.disconnect();
    }

    private static void sendControlToB(String payload) {
        Mqtt5BlockingClient ops = Mqtt.v5(broker.port(), "ops-ctl");
        Mqtt.connect(ops, "ops");
        ops.publishWith().topic("aiot/v1/things/motor-B/control").qos(MqttQos.AT_LEAST_ONCE).payload(utf8(payload))
                .send();
        ops.disconnect();
    }

    @Test
    void connect_deviceWithAnotherDevicesClientId_isRefusedAsClientIdNotValid() {
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B", "motor-A"));
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B-sess", "motor-A"));
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B/sess", "motor-A"));
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-A-x", "motor-A"));
        assertEquals(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, refusedV3("motor-B", "motor-A"));
        assertEquals(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, refusedV3("motor-B-sess", "motor-A"));
        assertTrue(broker.counter("aiot_mqtt_auth_total", "result", "client_id_refused") >= 6);
    }

    @Test
    void connect_deviceWithItsIdOrItsPrefix_isAccepted() {
        for (String id : new String[] {"motor-A", "motor-A/sensor-1"}) {
            Mqtt5BlockingClient c = Mqtt.v5(broker.port(), id);
            Mqtt.connect(c, "motor-A");
            assertTrue(c.getState().isConnected(), id);
            c.disconnect();
        }
        Mqtt3BlockingClient c3 = Mqtt.v3(broker.port(), "motor-A/v3");
        Mqtt.connect(c3, "motor-A");
        c3.disconnect();
    }

    @Test
    void queuedControlMessage_ofAnotherDevice_isNotDeliveredToTheAttacker() throws Exception {
        offlineSessionOfB("motor-B");
        sendControlToB("open-valve");
        Mqtt5BlockingClient a = Mqtt.v5(broker.port(), "motor-B");
        try (Mqtt5BlockingClient.Mqtt5Publishes got = a.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> a.connectWith().cleanStart(false)
                    .sessionExpiryInterval(3600).simpleAuth().username("motor-A")
                    .password(utf8(BrokerFixture.password("motor-A"))).applySimpleAuth().send());
            assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, e.getMqttMessage().getReasonCode());
            assertFalse(got.receive(1, TimeUnit.SECONDS).isPresent(), "nothing of motor-B's reached motor-A");
        }
        assertEquals(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, refusedV3("motor-B", "motor-A"));
        // the message is still motor-B's
        Mqtt5BlockingClient b = Mqtt.v5(broker.port(), "motor-B");
        try (Mqtt5BlockingClient.Mqtt5Publishes got = b.publishes(MqttGlobalPublishFilter.ALL)) {
            b.connectWith().cleanStart(false).sessionExpiryInterval(0).simpleAuth().username("motor-B")
                    .password(utf8(BrokerFixture.password("motor-B"))).applySimpleAuth().send();
            Optional<Mqtt5Publish> p = got.receive(10, TimeUnit.SECONDS);
            assertEquals("open-valve", new String(p.orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            b.disconnect();
        }
    }

    @Test
    void liveConnection_ofAnotherDevice_isNotKicked() throws Exception {
        Mqtt5BlockingClient b = Mqtt.v5(broker.port(), "motor-B/live");
        Mqtt.connect(b, "motor-B");
        try {
            assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B/live", "motor-A"));
            assertEquals(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, refusedV3("motor-B/live", "motor-A"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> b.getState().isConnected()); // a take-over would have closed it
            b.publishWith().topic("aiot/v1/things/motor-B/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("{}"))
                    .send();
        } finally {
            b.disconnect();
        }
    }

    @Test
    void service_usingADevicesLiveOrQueuedSession_isRefused() throws Exception {
        Mqtt5BlockingClient b = Mqtt.v5(broker.port(), "motor-B/svc");
        Mqtt.connect(b, "motor-B");
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B/svc", "gw"));
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B/svc", "ops"));
        assertTrue(b.getState().isConnected(), "motor-B keeps its connection");
        b.disconnect();

        offlineSessionOfB("motor-B/queued");
        sendControlToB("close-valve");
        assertEquals(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, refusedV3("motor-B/queued", "gw"));
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B/queued", "ops"));
    }

    @Test
    void sessionOwners_surviveARestartOfTheBroker() throws Exception {
        offlineSessionOfB("motor-B/restart");
        broker.stop();
        broker = new BrokerFixture(dir).start();
        assertEquals(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusedV5("motor-B/restart", "gw"));
        Mqtt5BlockingClient b = Mqtt.v5(broker.port(), "motor-B/restart");
        Mqtt.connect(b, "motor-B");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.getState().isConnected());
        b.disconnect();
    }
}
