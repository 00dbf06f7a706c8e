package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Mqtt;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken clients are cut off while a well-behaved client on the same broker keeps
 * exchanging messages.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerRobustnessIT {
    @TempDir
    static Path dir;
    static BrokerFixture broker;
    Mqtt5BlockingClient good;
    Mqtt5BlockingClient.Mqtt5Publishes inbox;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(dir, "mqtt.limits.maxPacketSize=4096").start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @BeforeEach
    void goodClient() {
        good = Mqtt.v5(broker.port(), "good-gw");
        Mqtt.connect(good, "gw");
        inbox = good.publishes(MqttGlobalPublishFilter.ALL);
        good.subscribeWith().topicFilter("aiot/v1/things/good/echo").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @AfterEach
    void assertGoodClientStillWorks() throws InterruptedException {
        String marker = "still-alive-" + System.nanoTime();
        good.publishWith().topic("aiot/v1/things/good/echo").qos(MqttQos.AT_LEAST_ONCE).payload(utf8(marker)).send();
        var got = inbox.receive(10, TimeUnit.SECONDS);
        assertEquals(marker, new String(got.orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8));
        inbox.close();
        good.disconnect();
    }

    @Test
    void garbageBytes_connectionIsClosed() throws IOException {
        try (Socket s = socket()) {
            byte[] junk = new byte[512];
            new Random(42).nextBytes(junk);
            junk[0] = (byte) 0xF0; // reserved packet type
            s.getOutputStream().write(junk);
            assertClosed(s, 10);
        }
    }

    @Test
    void packetOtherThanConnectFirst_connectionIsClosedByConnectTimeout() throws IOException {
        try (Socket s = socket()) {
            s.getOutputStream().write(new byte[] {0x30, 0x05, 0x00, 0x01, 'a', 'h', 'i'}); // PUBLISH before CONNECT
            assertClosed(s, 30);
        }
    }

    @Test
    void truncatedConnect_connectionIsClosedAfterIdleTimeout() throws IOException {
        try (Socket s = socket()) {
            // CONNECT announcing 100 remaining bytes, of which only 6 ever arrive
            s.getOutputStream().write(new byte[] {0x10, 100, 0x00, 0x04, 'M', 'Q', 'T', 'T'});
            assertClosed(s, 30);
        }
    }

    @Test
    void oversizePacket_senderIsDisconnected() {
        Mqtt3BlockingClient big = Mqtt.v3(broker.port(), "big-gw");
        Mqtt.connect(big, "gw");
        big.toAsync().publishWith().topic("aiot/v1/things/big/raw").qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[16 * 1024]).send();
        await().atMost(Duration.ofSeconds(10)).until(() -> !big.getState().isConnected());
    }

    @Test
    void hugeRemainingLengthHeader_connectionIsClosedByIdleTimeout() throws IOException {
        try (Socket s = socket()) {
            // CONNECT claiming the maximum remaining length of 268,435,455 bytes. HiveMQ waits for the
            // body rather than allocating it, so the no-connect idle timeout (10 s) closes the socket;
            // the deadline leaves room for that timer on a loaded machine.
            s.getOutputStream().write(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x00});
            assertClosed(s, 30);
        }
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", broker.port());
        s.setSoTimeout(1000);
        return s;
    }

    /** The broker closes the socket: read returns -1 (or the reset is reported) within the deadline. */
    private static void assertClosed(Socket s, int seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        InputStream in = s.getInputStream();
        while (System.nanoTime() < deadline) {
            try {
                if (in.read() == -1) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // still open; keep waiting
            } catch (IOException reset) {
                return;
            }
        }
        assertTrue(false, "the broker did not close the connection within " + seconds + " s");
    }
}
