package io.aiotedge.datastore;

import io.aiotedge.clients.KafkaClients;
import io.aiotedge.config.PlatformConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.Health;
import io.aiotedge.core.InstanceIds;
import io.aiotedge.core.LoopThread;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes telemetry topics into the {@link FeatureStore}: one consumer thread polls, decodes,
 * stores a batch and the positions it reached in one transaction (table {@code ingest_offsets},
 * per consumer group) and seeks to those positions at every assignment, so after a crash, even a
 * {@code kill -9}, the datastore resumes exactly where its rows end; Kafka offsets are committed
 * after the store as a fallback only. A redelivery (a new group, a rewind) is absorbed by the
 * dedupe key, which keeps rows single. Undecodable records go to {@code aiot.deadletter} (with
 * {@code aiot.error} and {@code aiot.source} headers) before the commit. A database failure
 * rewinds to the last commit and retries with back-off; nothing is skipped. Also applies the
 * retention policy once a minute. Exposes consumer lag, rows stored and dead-lettered.
 */
public final class IngestComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(IngestComponent.class);

    private final PlatformConfig config;
    private final Map<String, String> kafkaClient;
    private final Supplier<String> bootstrapServers;
    private final FeatureStore store;
    private final Clock clock;
    private final String instanceId;
    final IngestMetrics metrics;
    private final io.aiotedge.core.LiveFeed live;
    private volatile LoopThread<IngestLoop> running;

    public IngestComponent(PlatformConfig config, Map<String, String> kafkaClient, Supplier<String> bootstrapServers,
            FeatureStore store, Path dataDir, Clock clock, MeterRegistry meters) {
        this(config, kafkaClient, bootstrapServers, store, dataDir, clock, meters, io.aiotedge.core.LiveFeed.NONE);
    }

    /** @param live where each decoded row goes for the console */
    public IngestComponent(PlatformConfig config, Map<String, String> kafkaClient, Supplier<String> bootstrapServers,
            FeatureStore store, Path dataDir, Clock clock, MeterRegistry meters, io.aiotedge.core.LiveFeed live) {
        super("ingest");
        this.live = live;
        this.config = config;
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.bootstrapServers = bootstrapServers;
        this.store = store;
        this.clock = clock;
        this.instanceId = InstanceIds.of("aiot-edge-ingest", dataDir);
        this.metrics = new IngestMetrics(meters, this);
    }

    @Override
    protected void doStart() {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(),
                new ByteArraySerializer());
        RowDecoder decoder = new RowDecoder(new LabelSources(config.labelSources()));
        running = LoopThread.start(new IngestLoop(consumer, deadLetters, config, store, decoder, clock, metrics, live),
                "datastore-ingest");
    }

    @Override
    protected void doStop() throws InterruptedException {
        LoopThread<IngestLoop> r = running;
        if (r != null) {
            r.stop(Duration.ofSeconds(20));
            running = null;
        }
    }

    @Override
    public Health health() {
        LoopThread<IngestLoop> r = running;
        return r == null ? Health.down(state().name()) : r.health(state());
    }

    long lag() {
        LoopThread<IngestLoop> r = running;
        return r == null ? 0 : r.loop().lag();
    }

    private Properties consumerProperties() {
        return new KafkaClients(kafkaClient, bootstrapServers).consumer("aiot-edge-ingest", config.ingestGroupId(),
                Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId,
                        // a datastore wants the history that is still in Kafka
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(config.ingestBatch())));
    }

    private Properties producerProperties() {
        return new KafkaClients(kafkaClient, bootstrapServers).producer("aiot-edge-ingest-deadletter", Map.of());
    }

    /** The ingest's meters; lag is read from the running loop. */
    static final class IngestMetrics {
        final Counter stored;
        final Counter duplicates;
        final Counter deadLettered;
        final Counter failures;
        final Counter trimmed;
        final Timer batchTime;
        final AtomicLong lastBatchRows = new AtomicLong();

        IngestMetrics(MeterRegistry meters, IngestComponent owner) {
            stored = Counter.builder("aiot_ingest_rows_stored_total").description("Feature rows stored")
                    .register(meters);
            duplicates = Counter.builder("aiot_ingest_duplicates_total")
                    .description("Redelivered records recognised and not stored again").register(meters);
            deadLettered = Counter.builder("aiot_ingest_dead_lettered_total")
                    .description("Records sent to aiot.deadletter as undecodable").register(meters);
            failures = Counter.builder("aiot_ingest_failures_total")
                    .description("Batches that failed to store and were retried").register(meters);
            trimmed = Counter.builder("aiot_datastore_rows_trimmed_total")
                    .description("Rows deleted by the retention policy").register(meters);
            batchTime = Timer.builder("aiot_ingest_batch_seconds").description("Time to store one batch")
                    .register(meters);
            Gauge.builder("aiot_ingest_consumer_lag", owner, IngestComponent::lag)
                    .description("Records in the ingest's partitions not yet stored").register(meters);
        }
    }
}
