package io.aiotedge.alerts;

import io.aiotedge.clients.KafkaClients;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.Health;
import io.aiotedge.core.InstanceIds;
import io.aiotedge.core.LiveFeed;
import io.aiotedge.core.LoopThread;
import io.aiotedge.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes {@code aiot.alerts} and {@code aiot.control} (group {@code aiot-edge-alerts}, from the
 * earliest record for a new group) into the {@link AlertStore}. A batch is stored in one
 * transaction before its offsets are committed, and the dedupe key (the bridge's
 * {@code aiot.messageId}, else topic/partition/offset) keeps a redelivered record single, so a
 * crash loses nothing and stores nothing twice. Records a device published about itself (the
 * bridge's {@code aiot.principalRole} is not service or admin) are dropped and counted, as are
 * malformed and oversized ones. A database failure rewinds to the batch's start and retries with
 * back-off. Each stored alert goes to the {@link LiveFeed}.
 */
public final class AlertIngest extends AbstractComponent {
    public static final String GROUP = "aiot-edge-alerts";

    private final Map<String, String> kafkaClient;
    private final Supplier<String> bootstrapServers;
    private final AlertStore store;
    private final LiveFeed live;
    private final Clock clock;
    private final String instanceId;
    private final Counter stored;
    private final Counter commands;
    private final MeterRegistry meters;
    private volatile LoopThread<AlertLoop> running;

    public AlertIngest(Map<String, String> kafkaClient, Supplier<String> bootstrapServers, AlertStore store,
            LiveFeed live, Path dataDir, Clock clock, MeterRegistry meters) {
        super("alerts");
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.bootstrapServers = bootstrapServers;
        this.store = store;
        this.live = live;
        this.clock = clock;
        this.instanceId = InstanceIds.of(GROUP, dataDir);
        this.meters = meters;
        this.stored = Counter.builder("aiot_alerts_stored_total").description("Alerts stored").register(meters);
        this.commands = Counter.builder("aiot_alerts_commands_stored_total")
                .description("Device commands (aiot.control) stored").register(meters);
    }

    @Override
    protected void doStart() {
        Properties p = new KafkaClients(kafkaClient, bootstrapServers).consumer(GROUP, GROUP,
                Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500"));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        running = LoopThread.start(
                new AlertLoop(consumer, List.of(Topics.ALERTS, Topics.CONTROL), store, live, clock, meters, stored,
                        commands),
                "alerts-ingest");
    }

    @Override
    protected void doStop() throws InterruptedException {
        LoopThread<AlertLoop> r = running;
        if (r != null) {
            r.stop(Duration.ofSeconds(20));
            running = null;
        }
    }

    @Override
    public Health health() {
        LoopThread<AlertLoop> r = running;
        return r == null ? Health.down(state().name()) : r.health(state());
    }
}
