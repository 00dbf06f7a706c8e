package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Mqtt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Authentication and topic ACLs of the real broker, seen through real MQTT 3.1.1 and 5 clients. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerSecurityIT {
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

    @Test
    void connect_anonymous_isRefusedOnBothProtocolVersions() {
        Mqtt5ConnAckException e5 = assertThrows(Mqtt5ConnAckException.class,
                () -> Mqtt.v5(broker.port(), "anon5").connect());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, e5.getMqttMessage().getReasonCode());
        Mqtt3ConnAckException e3 = assertThrows(Mqtt3ConnAckException.class,
                () -> Mqtt.v3(broker.port(), "anon3").connect());
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, e3.getMqttMessage().getReturnCode());
        assertTrue(broker.counter("aiot_mqtt_auth_total", "result", "anonymous_refused") >= 2);
    }

    @Test
    void connect_wrongPassword_isRefused() {
        Mqtt5BlockingClient c = Mqtt.v5(broker.port(), "motor-A");
        Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> c.connectWith().simpleAuth()
                .username("motor-A").password(utf8("guess")).applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, e.getMqttMessage().getReasonCode());
        Mqtt3BlockingClient c3 = Mqtt.v3(broker.port(), "motor-A");
        Mqtt3ConnAckException e3 = assertThrows(Mqtt3ConnAckException.class, () -> c3.connectWith().simpleAuth()
                .username("nobody").password(utf8("x")).applySimpleAuth().send());
        assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, e3.getMqttMessage().getReturnCode());
    }

    @Test
    void connect_rightPassword_isAcceptedAndMessagesFlow() throws Exception {
        Mqtt5BlockingClient sub = Mqtt.v5(broker.port(), "gw-sub");
        Mqtt.connect(sub, "gw");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = sub
                .publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("aiot/v1/things/+/telemetry").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient dev = Mqtt.v3(broker.port(), "motor-A");
            Mqtt.connect(dev, "motor-A");
            dev.publishWith().topic("aiot/v1/things/motor-A/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("{\"rms\":1.5}")).send();
            Optional<Mqtt5Publish> got = in.receive(10, TimeUnit.SECONDS);
            assertEquals("aiot/v1/things/motor-A/telemetry", got.orElseThrow().getTopic().toString());
            assertEquals("{\"rms\":1.5}", new String(got.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            dev.disconnect();
        } finally {
            sub.disconnect();
        }
    }

    @Test
    void publish_toAnotherDevicesTopic_v5GetsNotAuthorizedPuback() throws Exception {
        Mqtt5BlockingClient a = Mqtt.v5(broker.port(), "motor-A/v5");
        Mqtt.connect(a, "motor-A");
        ExecutionException e = assertThrows(ExecutionException.class, () -> a.toAsync().publishWith()
                .topic("aiot/v1/things/motor-B/control").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("open")).send()
                .get(10, TimeUnit.SECONDS));
        Mqtt5PubAckException nack = assertInstanceOf(Mqtt5PubAckException.class, e.getCause());
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, nack.getMqttMessage().getReasonCode());
        assertEquals(0x87, nack.getMqttMessage().getReasonCode().getCode());
        assertTrue(a.getState().isConnected(), "MQTT 5 clients keep their connection");
        a.disconnect();
    }

    @Test
    void publish_toAnotherDevicesTopic_v3IsDisconnected() {
        Mqtt3BlockingClient a = Mqtt.v3(broker.port(), "motor-A/v3");
        Mqtt.connect(a, "motor-A");
        a.toAsync().publishWith().topic("aiot/v1/things/motor-B/control").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("open")).send();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.getState().isConnected());
        assertTrue(broker.counter("aiot_mqtt_acl_denied_total", "action", "publish") >= 1);
    }

    @Test
    void subscribe_toAnotherDevicesTopic_isRefusedWithSubackFailure() {
        Mqtt5BlockingClient a5 = Mqtt.v5(broker.port(), "motor-A/sub5");
        Mqtt.connect(a5, "motor-A");
        Mqtt5SubAckException e5 = assertThrows(Mqtt5SubAckException.class,
                () -> a5.subscribeWith().topicFilter("aiot/v1/things/motor-B/#").send());
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, e5.getMqttMessage().getReasonCodes().get(0));
        assertEquals(0x87, e5.getMqttMessage().getReasonCodes().get(0).getCode());
        a5.disconnect();

        Mqtt3BlockingClient a3 = Mqtt.v3(broker.port(), "motor-A/sub3");
        Mqtt.connect(a3, "motor-A");
        Mqtt3SubAckException e3 = assertThrows(Mqtt3SubAckException.class,
                () -> a3.subscribeWith().topicFilter("aiot/v1/things/+/control").send());
        assertEquals(Mqtt3SubAckReturnCode.FAILURE, e3.getMqttMessage().getReturnCodes().get(0));
        assertEquals(0x80, e3.getMqttMessage().getReturnCodes().get(0).getCode());
        a3.disconnect();
    }

    @Test
    void subscribe_deviceToOwnTreeAndModels_isGranted() {
        Mqtt5BlockingClient a = Mqtt.v5(broker.port(), "motor-A/own");
        Mqtt.connect(a, "motor-A");
        var ack = a.subscribeWith().topicFilter("aiot/v1/things/motor-A/control").qos(MqttQos.AT_LEAST_ONCE).send();
        assertFalse(ack.getReasonCodes().get(0).isError());
        var models = a.subscribeWith().topicFilter("aiot/v1/models/#").send();
        assertFalse(models.getReasonCodes().get(0).isError());
        a.disconnect();
    }
}
