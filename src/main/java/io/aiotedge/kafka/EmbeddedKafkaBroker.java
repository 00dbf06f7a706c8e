package io.aiotedge.kafka;

import io.aiotedge.config.KafkaConfig;
import io.aiotedge.core.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node combined broker+controller KRaft server in this JVM, its log under
 * {@code <dir>/log}. The log dir is formatted once (a new cluster id) on first start and reused
 * afterwards, so topics and records survive restarts. The PLAINTEXT client listener and the
 * controller listener are on loopback (config validation refuses anything else); with
 * {@code kafka.remote.port} a third, SASL_SSL listener with the StandardAuthorizer serves other
 * boards ({@link RemoteAccess}). Not thread-safe; owned by {@link KafkaComponent}.
 */
final class EmbeddedKafkaBroker {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER = "CONTROLLER";

    private final KafkaConfig config;
    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final int remotePort;
    private KafkaRaftServer server;

    /** @param remotePort the bound port of the remote listener; ignored when it is off */
    EmbeddedKafkaBroker(KafkaConfig config, Path dir, int port, int controllerPort, int remotePort) {
        this.config = config;
        this.logDir = dir.resolve("log");
        this.port = port;
        this.controllerPort = controllerPort;
        this.remotePort = remotePort;
    }

    String bootstrapServers() {
        return config.advertisedHost() + ":" + port;
    }

    void start() throws Exception {
        PrivateFiles.directory(logDir); // Kafka writes its segments with the umask: the 0700 dir hides them
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format();
        }
        server = new KafkaRaftServer(kafka.server.KafkaConfig.fromProps(properties(), false), Time.SYSTEM);
        server.startup();
    }

    void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private void format() throws Exception {
        String clusterId = Uuid.randomUuid().toString();
        log.info("Formatting the embedded Kafka log dir {} (cluster {})", logDir, clusterId);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setControllerListenerName(CONTROLLER)
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    /** An IPv6 literal in brackets, as listener URLs need it. */
    private static String host(String h) {
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    private Properties properties() throws IOException {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", CONTROLLER);
        String listeners = "PLAINTEXT://" + host(config.bindAddress()) + ":" + port + "," + CONTROLLER + "://127.0.0.1:"
                + controllerPort;
        String advertised = "PLAINTEXT://" + host(config.advertisedHost()) + ":" + port;
        String protocols = "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT";
        if (config.remote().enabled()) {
            String r = RemoteAccess.LISTENER;
            listeners += "," + r + "://" + host(config.remote().bindAddress()) + ":" + remotePort;
            advertised += "," + r + "://" + host(config.remote().advertisedHost()) + ":" + remotePort;
            protocols += "," + r + ":SASL_SSL";
            RemoteAccess.configure(p, config.remote());
        }
        p.put("listeners", listeners);
        p.put("advertised.listeners", advertised);
        p.put("listener.security.protocol.map", protocols);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", String.valueOf(config.partitions()));
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.hours", String.valueOf(config.retentionHours()));
        p.put("log.retention.bytes", String.valueOf(config.retentionBytesPerPartition()));
        p.put("log.segment.bytes", String.valueOf(Math.min(64L << 20, config.retentionBytesPerPartition())));
        p.put("log.flush.interval.ms", "1000");
        return p;
    }
}
