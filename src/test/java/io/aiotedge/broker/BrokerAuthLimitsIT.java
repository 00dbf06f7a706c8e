package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.aiotedge.core.auth.Authenticator;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.support.BrokerFixture;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 finding 9 on the real broker: failed logins are limited per source address and per
 * user name, and the queue of connects waiting for a password check is bounded. Each test uses
 * its own loopback source address (127.0.0.x), so their allowances do not mix.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerAuthLimitsIT {
    @TempDir
    static Path dir;
    static BrokerFixture broker;
    /** While set, connects with user name "slow" wait in the authenticator for {@link #release}. */
    static final AtomicBoolean hold = new AtomicBoolean();
    static volatile CountDownLatch release = new CountDownLatch(0);

    @BeforeAll
    static void start() {
        Authenticator slow = new Authenticator() {
            @Override
            public Optional<Principal> authenticate(String clientId, String username, char[] password) {
                if ("slow".equals(username) && hold.get()) {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Optional.empty();
            }
        };
        broker = new BrokerFixture(dir, "mqtt.limits.authFailureBurst=5", "mqtt.limits.authFailuresPerMinute=1",
                "mqtt.limits.authQueue=1").withAuthenticator(slow).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Mqtt5BlockingClient v5From(String local, String clientId) {
        return Mqtt5Client.builder().identifier(clientId).transportConfig().serverHost("127.0.0.1")
                .serverPort(broker.port()).localAddress(new InetSocketAddress(local, 0)).applyTransportConfig()
                .buildBlocking();
    }

    private static Mqtt5ConnAckReasonCode login(String local, String user, String password) {
        try {
            v5From(local, user).connectWith().simpleAuth().username(user).password(utf8(password)).applySimpleAuth()
                    .send().getReasonCode();
            return Mqtt5ConnAckReasonCode.SUCCESS;
        } catch (Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    @Test
    void failedLogins_fromOneAddress_areRefusedAsRateExceeded_evenWithRightCredentials() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, login("127.0.0.11", "guess-" + i, "x"));
        }
        assertEquals(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED, login("127.0.0.11", "guess-5", "x"));
        assertEquals(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED, login("127.0.0.11", "gw", "gw-pw"));
        Mqtt3BlockingClient v3 = Mqtt3Client.builder().identifier("gw").transportConfig().serverHost("127.0.0.1")
                .serverPort(broker.port()).localAddress(new InetSocketAddress("127.0.0.11", 0)).applyTransportConfig()
                .buildBlocking();
        Mqtt3ConnAckException e3 = assertThrows(Mqtt3ConnAckException.class, () -> v3.connectWith().simpleAuth()
                .username("gw").password(utf8("gw-pw")).applySimpleAuth().send());
        assertEquals(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, e3.getMqttMessage().getReturnCode());
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, login("127.0.0.12", "gw", "gw-pw"), "other addresses are not hit");
        assertTrue(broker.counter("aiot_mqtt_auth_total", "result", "rate_limited") >= 3);
    }

    @Test
    void failedLogins_forOneName_areRefusedFromEveryAddress() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    login("127.0.0." + (21 + i), "motor-B", "guess-" + i));
        }
        assertEquals(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED, login("127.0.0.30", "motor-B", "motor-B-pw"));
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, login("127.0.0.30", "motor-A", "motor-A-pw"));
    }

    @Test
    void connects_pastTheAuthQueue_areRefusedAsServerBusy() throws Exception {
        release = new CountDownLatch(1);
        hold.set(true);
        List<CompletableFuture<Mqtt5ConnAck>> pending = new ArrayList<>();
        int busy;
        try {
            // 2 auth threads + a queue of 1, all held: of 4 connects at once at least one is turned away
            for (int i = 0; i < 4; i++) {
                pending.add(Mqtt5Client.builder().identifier("slow-" + i).transportConfig().serverHost("127.0.0.1")
                        .serverPort(broker.port()).localAddress(new InetSocketAddress("127.0.0." + (41 + i), 0))
                        .applyTransportConfig().buildAsync().connectWith().simpleAuth().username("slow")
                        .password(utf8("x")).applySimpleAuth().send());
            }
            await().atMost(Duration.ofSeconds(8)).until(() -> pending.stream().anyMatch(CompletableFuture::isDone));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            List<CompletableFuture<Mqtt5ConnAck>> done = pending.stream().filter(CompletableFuture::isDone).toList();
            assertTrue(done.size() <= 2, "the held ones still wait: " + done.size());
            for (CompletableFuture<Mqtt5ConnAck> f : done) {
                Throwable t = assertThrows(Exception.class, f::join).getCause();
                assertEquals(Mqtt5ConnAckReasonCode.SERVER_BUSY,
                        assertInstanceOf(Mqtt5ConnAckException.class, t).getMqttMessage().getReasonCode());
            }
            busy = done.size();
        } finally {
            hold.set(false);
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pending.stream().allMatch(CompletableFuture::isDone));
        assertEquals(busy, broker.counter("aiot_mqtt_auth_total", "result", "busy"));
        for (CompletableFuture<Mqtt5ConnAck> f : pending) {
            Throwable t = assertThrows(Exception.class, f::join).getCause();
            assertInstanceOf(Mqtt5ConnAckException.class, t, "each connect was answered");
        }
    }
}
