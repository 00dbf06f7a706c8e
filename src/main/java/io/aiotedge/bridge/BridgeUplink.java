package io.aiotedge.bridge;

import io.aiotedge.config.BridgeConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.Health;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.mqtt.InboundPublish;
import io.aiotedge.core.mqtt.IngressVerdict;
import io.aiotedge.core.mqtt.MqttIngress;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT -> Kafka. The broker hands it every publish on a {@code bridge.uplink} topic before
 * acknowledging it ({@link MqttIngress}); it routes and validates the publish
 * ({@link UplinkRoutes}) and acknowledges QoS >= 1 only once the record is durable
 * ({@link Forwarder}: Kafka's ack, or the spool under {@code <dataDir>/bridge/spool}). Starts
 * before the broker and stops after it, so no publish arrives while it cannot store it.
 * Health is DEGRADED while it spools. Also the sink for the downlink's dead letters.
 */
public final class BridgeUplink extends AbstractComponent implements MqttIngress {
    private static final Logger log = LoggerFactory.getLogger(BridgeUplink.class);
    private static final int SPOOL_WRITERS = 4;

    private final BridgeConfig config;
    private final Map<String, String> kafkaClient;
    private final Supplier<String> bootstrapServers;
    private final Path spoolDir;
    private final BridgeMetrics metrics;
    private final UplinkRoutes routes;
    private volatile Forwarder forwarder;
    private volatile Spool spool;
    private KafkaProducer<byte[], byte[]> producer;
    private ExecutorService writers;

    /**
     * @param kafkaClient {@code kafka.client} properties (TLS, SASL) for the producer
     * @param bootstrapServers Kafka's address, known once the Kafka component started
     */
    public BridgeUplink(BridgeConfig config, Map<String, String> kafkaClient, Supplier<String> bootstrapServers,
            Path dataDir, MeterRegistry meters) {
        super("bridge-uplink");
        this.config = config;
        this.kafkaClient = Map.copyOf(kafkaClient);
        this.bootstrapServers = bootstrapServers;
        this.spoolDir = dataDir.resolve("bridge").resolve("spool");
        this.metrics = new BridgeMetrics(meters);
        this.routes = new UplinkRoutes(config.uplink(), new MessageIds(new SecureRandom()));
        metrics.bindSpool(this, () -> spool == null ? 0 : spool.bytes(), () -> spool == null ? 0 : spool.size(),
                () -> spool == null ? 0 : spool.dropped(), () -> forwarder != null && forwarder.spooling());
    }

    @Override
    protected void doStart() {
        spool = Spool.open(spoolDir, config.spoolMaxBytes(), config.spoolOverflow());
        producer = new KafkaProducer<>(ProducerSettings.of(config, kafkaClient, bootstrapServers.get()),
                new ByteArraySerializer(), new ByteArraySerializer());
        writers = Executors.newFixedThreadPool(SPOOL_WRITERS, NamedThreads.daemon("bridge-spool"));
        forwarder = new Forwarder(producer, spool, writers, metrics, config.replayBatch(), config.kafkaTimeoutMs());
        forwarder.start();
        if (spool.size() > 0) {
            log.info("Spool holds {} records ({} bytes) from an earlier run; replaying them first", spool.size(),
                    spool.bytes());
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (forwarder != null) {
            forwarder.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5)); // pending sends finish or fail into the spool
            producer = null;
        }
        if (writers != null) {
            writers.shutdown();
            writers.awaitTermination(10, TimeUnit.SECONDS);
            writers = null;
        }
        if (spool != null) {
            spool.close();
        }
        forwarder = null;
        spool = null;
    }

    @Override
    public Health health() {
        Forwarder f = forwarder;
        Spool s = spool;
        if (state() != ComponentState.RUNNING || f == null || s == null) {
            return Health.down(state().name());
        }
        if (f.spooling()) {
            return Health.degraded("Kafka unreachable since " + java.time.Instant.ofEpochMilli(f.spoolingSinceMillis())
                    + "; spooling " + s.size() + " records, " + s.bytes() + " of " + config.spoolMaxBytes() + " bytes");
        }
        return Health.up();
    }

    @Override
    public boolean wants(String topic) {
        return routes.matches(topic);
    }

    @Override
    public long timeoutMillis() {
        return config.kafkaTimeoutMs() + 30_000L;
    }

    @Override
    public CompletionStage<IngressVerdict> accept(InboundPublish publish) {
        Forwarder f = forwarder;
        if (f == null) {
            return CompletableFuture.completedFuture(IngressVerdict.failed("the bridge is not running"));
        }
        UplinkRoutes.Decision d = routes.decide(publish);
        CompletableFuture<Void> stored;
        IngressVerdict onSuccess;
        if (d instanceof UplinkRoutes.DeadLetter dl) {
            metrics.deadLettered.increment();
            stored = f.forward(dl.record(), publish.qos() == 0);
            onSuccess = IngressVerdict.deadLettered(dl.reason());
        } else {
            stored = f.forward(((UplinkRoutes.Forward) d).record(), publish.qos() == 0);
            onSuccess = IngressVerdict.accepted();
        }
        if (publish.qos() == 0) {
            return CompletableFuture.completedFuture(onSuccess); // best effort: not waited for
        }
        return stored.handle((ok, e) -> e == null ? onSuccess : verdictFor(e));
    }

    /** Sends a record built elsewhere (the downlink's dead letters) the same durable way. */
    CompletableFuture<Void> forward(SpoolRecord record) {
        Forwarder f = forwarder;
        return f == null ? CompletableFuture.failedFuture(new IllegalStateException("the bridge is not running"))
                : f.forward(record);
    }

    private static IngressVerdict verdictFor(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        if (cause instanceof Spool.FullException) {
            return IngressVerdict.refusedRetry("store-and-forward spool is full; retry later");
        }
        return IngressVerdict.failed("could not store the message: " + cause.getMessage());
    }
}
