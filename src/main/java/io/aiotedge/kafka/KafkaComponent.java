package io.aiotedge.kafka;

import io.aiotedge.config.KafkaConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka for the node. {@code embedded}: starts the in-process KRaft broker under
 * {@code <dataDir>/kafka} (formatted on first start) and reports its port as {@code kafka};
 * {@code external}: uses {@code kafka.bootstrapServers} with the {@code kafka.client.*}
 * properties (TLS, SASL). Either way the aiot topics (and those other components asked for) are
 * then created if missing. Not created
 * at all when {@code kafka.mode} is {@code off}. Idempotent start/stop via
 * {@link AbstractComponent}; {@link #bootstrapServers()} is safe from any thread once started.
 */
public final class KafkaComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(KafkaComponent.class);

    private final KafkaConfig config;
    private final Path dir;
    private final BoundPorts ports;
    private final List<String> topics;
    private EmbeddedKafkaBroker broker;
    private volatile String bootstrapServers;

    /** @param extraTopics topics other components need besides the aiot ones (e.g. the bridge's) */
    public KafkaComponent(KafkaConfig config, Path dataDir, BoundPorts ports, List<String> extraTopics) {
        super("kafka");
        List<String> all = new ArrayList<>(AiotTopics.ALL);
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
            broker = new EmbeddedKafkaBroker(config, dir, port, FreePorts.resolve(0, "127.0.0.1"));
            broker.start();
            bootstrapServers = broker.bootstrapServers();
            ports.put("kafka", port);
        } else {
            bootstrapServers = config.bootstrapServers();
        }
        List<String> created = TopicProvisioner.ensure(bootstrapServers, config.client(), topics,
                config.partitions(), config.replicationFactor(), config.startupTimeoutSeconds() * 1000L);
        log.info("Kafka {} at {}; topics {} ({} created now)", config.mode().name().toLowerCase(java.util.Locale.ROOT),
                bootstrapServers, topics, created.size());
    }

    @Override
    protected void doStop() {
        ports.remove("kafka");
        bootstrapServers = null;
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }
}
