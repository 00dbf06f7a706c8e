package io.aiotedge.support;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;

/** Real HiveMQ MQTT clients for tests (not yet connected). */
public final class Mqtt {
    private Mqtt() {
    }

    public static Mqtt5BlockingClient v5(int port, String clientId) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    public static Mqtt3BlockingClient v3(int port, String clientId) {
        return Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    public static void connect(Mqtt5BlockingClient c, String user) {
        c.connectWith().simpleAuth().username(user)
                .password(BrokerFixture.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
    }

    public static void connect(Mqtt3BlockingClient c, String user) {
        c.connectWith().simpleAuth().username(user)
                .password(BrokerFixture.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
