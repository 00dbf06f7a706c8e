package io.aiotedge.support;

import io.aiotedge.bridge.BridgeDownlink;
import io.aiotedge.bridge.BridgeUplink;
import io.aiotedge.broker.BrokerComponent;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.FreePorts;
import io.aiotedge.core.Health;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.auth.AuthenticatorChain;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.StaticUserAuthenticator;
import io.aiotedge.core.auth.StoredUser;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.kafka.KafkaComponent;
import io.aiotedge.models.AnnouncementSignatures;
import io.aiotedge.models.ModelSigner;
import io.aiotedge.storage.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's bridge path, in-process on free ports: embedded Kafka, bridge uplink, broker
 * (with the {@link BrokerFixture} users) and downlink, started in the node's order. Kafka can be
 * stopped and started again on the same port and directory to simulate an outage. The downlink
 * asks a real device registry (H2 in the data dir; motor-A and motor-B are provisioned) and
 * verifies announcements with the model-signing key made under {@code <dataDir>/keys}.
 */
public final class BridgeFixture implements AutoCloseable {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BoundPorts ports = new BoundPorts();
    private final NodeConfig config;
    private KafkaComponent kafka;
    private BridgeUplink uplink;
    private BrokerComponent broker;
    private BridgeDownlink downlink;
    private Database db;
    private DeviceRegistry devices;
    private ModelSigner signer;
    private String bootstrap;

    public BridgeFixture(Path dataDir, String... overrides) {
        List<String> all = new ArrayList<>(List.of("mqtt.port=0", "mqtt.bindAddress=127.0.0.1",
                BrokerFixture.usersOverride(), "dataDir=" + dataDir, "kafka.bindAddress=127.0.0.1",
                "kafka.advertisedHost=127.0.0.1", "kafka.port=" + FreePorts.resolve(0, "127.0.0.1"),
                "bridge.kafkaTimeoutMs=3000"));
        all.addAll(List.of(overrides));
        config = new ConfigLoader(k -> null).load(null, all).config();
    }

    public BridgeFixture start() {
        db = new Database(config.dataDir(), 2);
        db.start();
        devices = new DeviceRegistry(db::dataSource, () -> broker, new PasswordHasher(new java.security.SecureRandom(),
                10_000), Clock.systemUTC(), meters);
        devices.start();
        for (String id : List.of("motor-A", "motor-B")) {
            if (devices.find(id).isEmpty()) { // a fixture started again on the same data dir has them
                devices.provision(id, "sensor", Map.of());
            }
        }
        try {
            signer = ModelSigner.loadOrCreate(new KeyFiles(config.dataDir()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        startKafka();
        uplink = new BridgeUplink(config.bridge(), config.kafka().client(), () -> bootstrap, config.dataDir(), meters);
        uplink.start();
        Map<String, StoredUser> users = new LinkedHashMap<>();
        config.mqtt().users().forEach(u -> users.put(u.username(), new StoredUser(u.passwordHash(), u.role())));
        broker = new BrokerComponent(config.mqtt(), config.dataDir(),
                new AuthenticatorChain(List.of(new StaticUserAuthenticator(users, "config"))), meters, ports, uplink,
                ClientEvents.NONE);
        broker.start();
        downlink = new BridgeDownlink(config.bridge(), config.kafka().client(), () -> bootstrap, broker, uplink,
                config.dataDir(), meters, 60_000, devices, new AnnouncementSignatures(config.dataDir()));
        downlink.start();
        return this;
    }

    public void startKafka() {
        kafka = new KafkaComponent(config.kafka(), config.dataDir(), ports, config.bridge().kafkaTopics());
        kafka.start();
        bootstrap = kafka.bootstrapServers();
    }

    public void stopKafka() {
        kafka.stop();
    }

    /** The registry the downlink asks (provision, revoke). */
    public DeviceRegistry devices() {
        return devices;
    }

    /** The node's model-signing key, for genuine announcements. */
    public ModelSigner signer() {
        return signer;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public int mqttPort() {
        return ports.get("mqtt");
    }

    public Health uplinkHealth() {
        return uplink.health();
    }

    public Health downlinkHealth() {
        return downlink.health();
    }

    public double count(String name) {
        var c = meters.find(name).counter();
        if (c != null) {
            return c.count();
        }
        var fc = meters.find(name).functionCounter();
        if (fc != null) {
            return fc.count();
        }
        var g = meters.find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Override
    public void close() {
        for (var c : new io.aiotedge.core.Component[] {downlink, broker, uplink, kafka, devices, db}) {
            if (c != null) {
                c.stop();
            }
        }
    }
}
