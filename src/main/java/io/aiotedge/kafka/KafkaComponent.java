package io.aiotedge.kafka;

import io.aiotedge.clients.KafkaClients;
import io.aiotedge.config.KafkaConfig;
import io.aiotedge.config.KafkaRemote;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.FreePorts;
import io.aiotedge.core.Listener;
import io.aiotedge.wire.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka for the node. {@code embedded}: starts the in-process KRaft broker under
 * {@code <dataDir>/kafka} (formatted on first start) and reports its port as {@code kafka};
 * {@code external}: uses {@code kafka.bootstrapServers} with the {@code kafka.client.*}
 * properties (TLS, SASL). Either way the aiot topics (and those other components asked for) are
 * then created if missing; with {@code kafka.remote.port}, the remote listener's SCRAM users and
 * ACLs are then set from the config ({@link RemoteAccess}) and its port reported as
 * {@code kafkaRemote}. Not created
 * at all when {@code kafka.mode} is {@code off}. Idempotent start/stop via
 * {@link AbstractComponent}; {@link #bootstrapServers()} is safe from any thread once started.
 */
public final class KafkaComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(KafkaComponent.class);

    /** The runtime.json port key of the remote listener. */
    public static final String REMOTE_PORT = "kafkaRemote";
    public static final String CONTROLLER_PORT = "kafkaController";

    private final KafkaConfig config;
    private final Path dir;
    private final BoundPorts ports;
    private final List<String> topics;
    private EmbeddedKafkaBroker broker;
    private volatile String bootstrapServers;

    /** @param extraTopics topics other components need besides the aiot ones (e.g. the bridge's) */
    public KafkaComponent(KafkaConfig config, Path dataDir, BoundPorts ports, List<String> extraTopics) {
        super("kafka");
        List<String> all = new ArrayList<>(Topics.ALL);
        extraTopics.stream().filter(t -> !all.contains(t)).forEach(all::add);
        this.topics = List.copyOf(all);
        this.config = config;
        this.dir = dataDir.resolve("kafka");
        this.ports = ports;
    }

    /** Where clients of this node reach Kafka; null before start. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    protected void doStart() throws Exception {
        if (config.mode() == KafkaConfig.Mode.EMBEDDED) {
            int port = FreePorts.resolve(config.port(), config.bindAddress());
            KafkaRemote remote = config.remote();
            int remotePort = remote.enabled()
                    ? FreePorts.resolve(remote.port(), remote.bindAddress(), port)
                    : -1;
            int controllerPort = FreePorts.resolve(0, "127.0.0.1", port, remotePort);
            broker = new EmbeddedKafkaBroker(config, dir, port, controllerPort, remotePort);
            broker.start();
            bootstrapServers = broker.bootstrapServers();
            reportListeners(port, controllerPort, remotePort);
        } else {
            bootstrapServers = config.bootstrapServers();
        }
        List<String> created = TopicProvisioner.ensure(bootstrapServers, config.client(), topics,
                config.partitions(), config.replicationFactor(), config.startupTimeoutSeconds() * 1000L);
        if (config.mode() == KafkaConfig.Mode.EMBEDDED && config.remote().enabled()) {
            applyRemoteAccess();
        }
        log.info("Kafka {} at {}; topics {} ({} created now)", config.mode().name().toLowerCase(java.util.Locale.ROOT),
                bootstrapServers, topics, created.size());
    }

    /**
     * The embedded broker's sockets: the plaintext client listener (loopback, no authentication,
     * its principal a super user), the controller's (loopback), and the remote SASL_SSL one.
     */
    private void reportListeners(int port, int controllerPort, int remotePort) {
        ports.listening(new Listener("kafka", config.bindAddress(), port, false, Listener.NONE, Listener.NONE, true,
                "the node's own clients; super user"));
        ports.listening(new Listener(CONTROLLER_PORT, "127.0.0.1", controllerPort, false, Listener.NONE,
                Listener.NONE, true, "KRaft controller"));
        if (config.remote().enabled()) {
            ports.listening(new Listener(REMOTE_PORT, config.remote().bindAddress(), remotePort, true, Listener.NONE,
                    Listener.SCRAM_SHA_512, false, "ACLs per user kind"));
        }
    }

    /** SCRAM users and ACLs of the remote listener, through the loopback (super user) listener. */
    private void applyRemoteAccess() throws Exception {
        Properties p = KafkaClients.of(config, () -> bootstrapServers).admin("aiot-edge-remote-access", Map.of());
        long timeoutMs = config.startupTimeoutSeconds() * 1000L;
        try (Admin admin = Admin.create(p)) {
            RemoteAccess.apply(admin, config.remote().users(), timeoutMs);
        }
        log.info("Kafka remote listener (SASL_SSL, SCRAM-SHA-512) on {}:{} for {}", config.remote().bindAddress(),
                ports.get(REMOTE_PORT), config.remote().users());
    }

    @Override
    protected void doStop() {
        ports.remove("kafka");
        ports.remove(REMOTE_PORT);
        ports.remove(CONTROLLER_PORT);
        bootstrapServers = null;
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }
}
