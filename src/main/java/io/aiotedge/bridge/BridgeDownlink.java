package io.aiotedge.bridge;

import io.aiotedge.clients.KafkaClients;
import io.aiotedge.config.BridgeConfig;
import io.aiotedge.config.DownlinkMapping;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.AnnouncementVerifier;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.DeviceDirectory;
import io.aiotedge.core.Health;
import io.aiotedge.core.InstanceIds;
import io.aiotedge.core.mqtt.MqttPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka -> MQTT: consumes the {@code bridge.downlink} topics in the consumer group
 * {@code bridge.downlinkGroupId} and publishes each record into the broker in-process
 * ({@link DownlinkLoop}). Offsets are committed only after the broker took the publish, so a
 * crash means a re-delivery, never a loss. Starts after the broker; {@code start()} returns once
 * the consumer owns its partitions (or after {@code kafka.startupTimeoutSeconds}, then DEGRADED
 * until it does). Static group membership (an id from host name and data directory) lets a node
 * restarted after a crash resume at once. A mapping's key allow-list and payload check
 * ({@code keys}, {@code verify}) are asked of {@code devices} and {@code announcements}; a record
 * they refuse is dead-lettered with the reason.
 */
public final class BridgeDownlink extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(BridgeDownlink.class);

    private final BridgeConfig config;
    private final Map<String, String> kafkaClient;
    private final Supplier<String> bootstrapServers;
    private final MqttPublisher publisher;
    private final BridgeUplink deadLetters;
    private final BridgeMetrics metrics;
    private final DownlinkChecks checks;
    private final long assignTimeoutMs;
    private final String instanceId;
    private DownlinkLoop loop;
    private Thread thread;

    public BridgeDownlink(BridgeConfig config, Map<String, String> kafkaClient, Supplier<String> bootstrapServers,
            MqttPublisher publisher, BridgeUplink deadLetters, Path dataDir, MeterRegistry meters,
            long assignTimeoutMs, DeviceDirectory devices, AnnouncementVerifier announcements) {
        super("bridge-downlink");
        this.checks = new DownlinkChecks(devices, announcements);
        this.instanceId = instanceId(dataDir);
        this.config = config;
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.bootstrapServers = bootstrapServers;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = new BridgeMetrics(meters);
        this.assignTimeoutMs = assignTimeoutMs;
    }

    @Override
    protected void doStart() throws InterruptedException {
        if (config.downlink().isEmpty()) {
            log.info("No bridge.downlink mappings; nothing to consume");
            return;
        }
        Map<String, DownlinkMapping> byTopic = new HashMap<>();
        config.downlink().forEach(m -> byTopic.putIfAbsent(m.kafka(), m));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        loop = new DownlinkLoop(consumer, byTopic, publisher, deadLetters::forward, metrics, checks);
        thread = new Thread(loop, "bridge-downlink");
        thread.setDaemon(true);
        thread.start();
        if (!loop.awaitAssigned(assignTimeoutMs)) {
            log.warn("Downlink consumer has no partitions after {} ms; it keeps trying", assignTimeoutMs);
        }
    }

    private Properties consumerProperties() {
        return new KafkaClients(kafkaClient, bootstrapServers).consumer("aiot-edge-bridge-downlink",
                config.downlinkGroupId(), Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        config.downlinkStartFrom().name().toLowerCase(java.util.Locale.ROOT),
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500",
                        // static membership: a node restarted after a crash takes its partitions back at
                        // once instead of waiting out the dead member's session
                        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId));
    }

    /** Stable per host and data directory, so the same node gets the same id after a restart. */
    static String instanceId(Path dataDir) {
        return InstanceIds.of("aiot-edge-downlink", dataDir);
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            thread.join(Duration.ofSeconds(15).toMillis());
            loop = null;
            thread = null;
        }
    }

    @Override
    public Health health() {
        DownlinkLoop l = loop;
        if (state() != ComponentState.RUNNING) {
            return Health.down(state().name());
        }
        if (l != null && !l.assigned()) {
            return Health.degraded("consumer has no partitions of " + List.copyOf(l.topics()) + " yet");
        }
        if (l != null && l.failing() != null) {
            return Health.degraded("broker refuses publishes: " + l.failing());
        }
        return Health.up();
    }
}
