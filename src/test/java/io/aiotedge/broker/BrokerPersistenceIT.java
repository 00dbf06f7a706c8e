package io.aiotedge.broker;

import static io.aiotedge.support.Mqtt.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.migration.meta.PersistenceType;
import io.aiotedge.core.FreePorts;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Mqtt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the default file persistence, retained messages and queued session messages survive a
 * restart, on a data dir an older release wrote: its retained store, in RocksDB, keeps its form
 * and what it held (issue 14; a new dir's Xodus retained store is held by RevocationKillIT).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerPersistenceIT {
    @TempDir
    Path dir;

    @Test
    void upgradeThenRestart_keepRetainedMessagesOfBothReleasesAndPersistentSessionQueue() throws Exception {
        writeRetainedAsTheOlderRelease("aiot/v1/things/motor-B/status", "from-the-old-release");
        Path retainedStore = persistence().resolve("retained_messages");
        assertTrue(hasRocksDbOptions(retainedStore.resolve(StoreLayout.ROCKSDB_DIR)), "the old layout was made");
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
                    observer.subscribeWith().topicFilter("aiot/v1/things/+/status").send();
                    Map<String, String> statuses = new TreeMap<>();
                    for (int i = 0; i < 2; i++) {
                        Mqtt5Publish status = retained.receive(15, TimeUnit.SECONDS).orElseThrow();
                        assertTrue(status.isRetain());
                        statuses.put(status.getTopic().toString(),
                                new String(status.getPayloadAsBytes(), StandardCharsets.UTF_8));
                    }
                    assertEquals(Map.of("aiot/v1/things/motor-A/status", "online", "aiot/v1/things/motor-B/status",
                            "from-the-old-release"), statuses);
                }
                observer.disconnect();
            }
            back.disconnect();
            assertFalse(Files.exists(retainedStore.resolve(StoreLayout.XODUS_DIR)), "the store was not switched");
        } finally {
            second.stop();
        }
    }

    /**
     * What the previous release did: HiveMQ with our bucket counts and its default RocksDB retained
     * store, anonymous (no security extension), in the same {@code <dataDir>/broker} folders.
     */
    private void writeRetainedAsTheOlderRelease(String topic, String payload) throws Exception {
        Path broker = dir.resolve("broker");
        Path conf = Files.createDirectories(broker.resolve("conf"));
        Path data = Files.createDirectories(broker.resolve("data"));
        Path extensions = Files.createDirectories(broker.resolve("extensions"));
        int port = FreePorts.resolve(0, "127.0.0.1");
        Files.writeString(conf.resolve("config.xml"), "<?xml version=\"1.0\"?>\n<hivemq><listeners><tcp-listener>"
                + "<port>" + port
                + "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners></hivemq>\n");
        EmbeddedHiveMQ old = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
                .withExtensionsFolder(extensions).withoutLoggingBootstrap().build();
        try {
            HiveMqTuning.apply(data);
            InternalConfigurations.RETAINED_MESSAGE_PERSISTENCE_TYPE.set(PersistenceType.FILE_NATIVE);
            InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(false);
            old.start().get(60, TimeUnit.SECONDS);
            Mqtt5BlockingClient device = Mqtt.v5(port, "old-device");
            device.connect();
            device.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(Mqtt.utf8(payload))
                    .send();
            device.disconnect();
            old.stop().get(30, TimeUnit.SECONDS);
        } finally {
            old.close();
        }
    }

    private Path persistence() {
        return dir.resolve("broker/data/persistence");
    }

    private static boolean hasRocksDbOptions(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("OPTIONS-"));
        }
    }
}
