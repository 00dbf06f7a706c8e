package io.aiotedge.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** The bridge's Prometheus metrics (names in docs/bridge.md). */
final class BridgeMetrics {
    final Counter forwarded;
    final Counter spooled;
    final Counter replayed;
    final Counter deadLettered;
    final Counter refused;
    final Counter rejectedByKafka;
    final Counter shed;
    final Counter replayRoundsFailed;
    final Counter downlinkPublished;
    final Counter downlinkDeadLettered;
    final Counter downlinkRetries;
    final Timer sendLatency;
    private final MeterRegistry registry;

    BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        forwarded = counter("aiot_bridge_forwarded_total", "Records Kafka acknowledged on the direct path");
        spooled = counter("aiot_bridge_spooled_total", "Records stored in the spool because Kafka was away");
        replayed = counter("aiot_bridge_replayed_total", "Spooled records Kafka acknowledged later");
        replayRoundsFailed = counter("aiot_bridge_replay_failed_rounds_total",
                "Replay rounds (or probes) that Kafka did not acknowledge in full; retried after a back-off");
        deadLettered = counter("aiot_bridge_dead_lettered_total", "Publishes sent to aiot.deadletter instead");
        refused = counter("aiot_bridge_refused_total", "Publishes refused because the spool was full (reject)");
        rejectedByKafka = counter("aiot_bridge_kafka_rejected_total",
                "Records Kafka refused for good (e.g. too large); the publisher was told");
        shed = counter("aiot_bridge_shed_total",
                "QoS 0 publishes not stored because the spool's writers were too far behind (outage flood)");
        downlinkPublished = counter("aiot_bridge_downlink_published_total", "Kafka records published to MQTT");
        downlinkDeadLettered = counter("aiot_bridge_downlink_dead_lettered_total",
                "Kafka records that could not become an MQTT publish (bad key or topic)");
        downlinkRetries = counter("aiot_bridge_downlink_retries_total", "Rounds retried because the broker refused");
        sendLatency = Timer.builder("aiot_bridge_kafka_send_seconds")
                .description("From the MQTT publish's arrival to Kafka's ack, direct path")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * Spool gauges, read through {@code owner} (Micrometer holds it weakly, so it must be the
     * long-lived component) so that a restarted bridge reports its new spool.
     */
    void bindSpool(Object owner, LongSupplier bytes, LongSupplier records, LongSupplier dropped,
            BooleanSupplier spooling) {
        Gauge.builder("aiot_bridge_spool_bytes", owner, o -> bytes.getAsLong()).description("Bytes in the spool")
                .register(registry);
        Gauge.builder("aiot_bridge_spool_records", owner, o -> records.getAsLong())
                .description("Records in the spool").register(registry);
        FunctionCounter.builder("aiot_bridge_dropped_total", owner, o -> dropped.getAsLong())
                .description("Oldest spooled records dropped because the spool was full (drop-oldest)")
                .register(registry);
        Gauge.builder("aiot_bridge_spooling", owner, o -> spooling.getAsBoolean() ? 1 : 0)
                .description("1 while the bridge stores to the spool instead of Kafka").register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }
}
