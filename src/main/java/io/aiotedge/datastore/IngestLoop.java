package io.aiotedge.datastore;

import io.aiotedge.config.PlatformConfig;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.PollingLoop;
import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest's consumer thread (see {@link IngestComponent}). Owns its consumer and producer. */
final class IngestLoop extends PollingLoop {
    private static final Logger log = LoggerFactory.getLogger(IngestLoop.class);
    private static final String MESSAGE_ID = "aiot.messageId";
    private static final long RETENTION_EVERY_MS = 60_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final PlatformConfig config;
    private final FeatureStore store;
    private final RowDecoder decoder;
    private final Clock clock;
    private final IngestComponent.IngestMetrics metrics;
    private volatile long lag;
    private long nextRetention;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(NamedThreads.daemon("datastore-writer"));
    private final IngestPositions positions;
    private final io.aiotedge.core.LiveFeed live;
    /** The batch being stored; consumer thread only (the rebalance listener runs inside poll). */
    private Pending pending;

    IngestLoop(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> deadLetters,
            PlatformConfig config, FeatureStore store, RowDecoder decoder, Clock clock,
            IngestComponent.IngestMetrics metrics, io.aiotedge.core.LiveFeed live) {
        super(consumer::wakeup);
        this.live = live;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.config = config;
        this.store = store;
        this.decoder = decoder;
        this.clock = clock;
        this.metrics = metrics;
        this.positions = new IngestPositions(consumer, store, config.ingestGroupId(), this::awaitStored);
    }

    /** A batch being stored while the next one is polled and decoded. */
    private record Pending(Future<Integer> stored, Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    /**
     * Poll and decode on this thread, store on {@link #writer}: batch N is stored while batch N+1
     * is decoded. N's rows and N's positions go in one transaction (the datastore is where the
     * ingest resumes from, see {@link IngestPositions}); N's Kafka offsets are committed only once
     * N is stored, as a fallback for a datastore that has no positions yet.
     */
    @Override
    public void run() {
        try {
            consumer.subscribe(config.ingestTopics(), positions);
            while (running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                try {
                    List<FeatureRow> rows = records.isEmpty() ? List.of() : decode(records);
                    Map<TopicPartition, OffsetAndMetadata> offsets = records.isEmpty() ? Map.of() : positions(records);
                    IngestOffsets.Consumed consumed = positions.consumed(records);
                    finish(pending);
                    pending = null;
                    if (!records.isEmpty()) {
                        pending = new Pending(writer.submit(() -> store(rows, consumed)), offsets);
                    }
                    updateLag();
                    retention();
                    recovered();
                } catch (WakeupException e) {
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException | ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    abandon(pending);
                    pending = null;
                    metrics.failures.increment();
                    failing("storing failed, retrying: " + cause.getMessage());
                    log.warn("Ingest batch failed, rewinding to the last stored position: {}", cause.getMessage());
                    rewind();
                    backOff();
                }
            }
            finishQuietly(pending);
        } catch (WakeupException e) {
            finishQuietly(pending);
        } finally {
            writer.shutdownNow();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } finally {
                deadLetters.close(Duration.ofSeconds(5));
            }
        }
    }

    private void finish(Pending p) throws InterruptedException, ExecutionException, TimeoutException {
        if (p != null) {
            p.stored().get(5, TimeUnit.MINUTES);
            consumer.commitSync(p.offsets());
        }
    }

    /** On stop: a batch already stored still gets its offsets committed, so it is not re-read. */
    private void finishQuietly(Pending p) {
        try {
            finish(p);
        } catch (Exception e) {
            log.debug("Last ingest batch not committed (it will be redelivered and deduplicated): {}", e.getMessage());
        }
    }

    /** Before a seek at assignment: the batch being stored has stored its positions (or failed). */
    private void awaitStored() {
        Pending p = pending;
        if (p != null) {
            try {
                p.stored().get(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("Batch before the assignment not stored (it is read again): {}", e.getMessage());
            }
        }
    }

    private static void abandon(Pending p) {
        if (p != null) {
            try {
                p.stored().get(5, TimeUnit.MINUTES); // never rewind under a running insert
            } catch (Exception ignored) {
                // its rows are redelivered after the rewind and deduplicated
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> positions(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
            out.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return out;
    }

    /** Decodes a poll; undecodable records are dead-lettered, durably, before it returns. */
    private List<FeatureRow> decode(ConsumerRecords<byte[], byte[]> records) throws InterruptedException,
            ExecutionException, TimeoutException {
        List<FeatureRow> rows = new ArrayList<>(records.count());
        List<Future<RecordMetadata>> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                FeatureRow row = decoder.decode(r.topic(), r.key(), r.value(), dedupeKey(r), r.timestamp(), sender(r));
                rows.add(row);
                live.telemetry(row.deviceId(), row.timestamp(), row.names(), row.values());
            } catch (FrameException | RuntimeException e) {
                dead.add(deadLetter(r, e.getMessage()));
            }
        }
        for (Future<RecordMetadata> f : dead) {
            f.get(30, TimeUnit.SECONDS); // durable before the offsets move past them
        }
        metrics.deadLettered.increment(dead.size());
        return rows;
    }

    private int store(List<FeatureRow> rows, IngestOffsets.Consumed consumed) {
        long t0 = System.nanoTime();
        int added = store.insert(rows, clock.millis(), consumed);
        metrics.batchTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        metrics.stored.increment(added);
        metrics.duplicates.increment(rows.size() - added);
        metrics.lastBatchRows.set(rows.size());
        return added;
    }

    /**
     * Who labelled a record: the publisher the bridge recorded (docs/bridge.md), or, when that is
     * a service relaying someone else's label (the gateway's {@code aiot.labelledBy} user
     * property), whom the service names. Unknown for records not bridged.
     */
    static RowDecoder.Sender sender(ConsumerRecord<byte[], byte[]> r) {
        RowDecoder.Sender publisher = sender(r, "aiot.principal", "aiot.principalRole");
        if ("service".equals(publisher.role()) || "admin".equals(publisher.role())) {
            RowDecoder.Sender relayed = sender(r, "mqtt.user.aiot.labelledBy", "mqtt.user.aiot.labelledByRole");
            if (relayed.principal() != null) {
                return relayed;
            }
        }
        return publisher;
    }

    private static RowDecoder.Sender sender(ConsumerRecord<byte[], byte[]> r, String nameHeader, String roleHeader) {
        Header name = r.headers().lastHeader(nameHeader);
        Header role = r.headers().lastHeader(roleHeader);
        if (name == null || role == null || name.value() == null || role.value() == null) {
            return RowDecoder.Sender.UNKNOWN;
        }
        return new RowDecoder.Sender(new String(name.value(), StandardCharsets.UTF_8),
                new String(role.value(), StandardCharsets.UTF_8));
    }

    static String dedupeKey(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(MESSAGE_ID);
        if (h != null && h.value() != null && h.value().length > 0 && h.value().length <= 150) {
            return "m:" + new String(h.value(), StandardCharsets.UTF_8);
        }
        return "k:" + r.topic() + "/" + r.partition() + "@" + r.offset();
    }

    private Future<RecordMetadata> deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(Topics.DEADLETTER, r.key(), r.value());
        out.headers().add("aiot.error", String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        out.headers().add("aiot.source", (r.topic() + "/" + r.partition() + "@" + r.offset())
                .getBytes(StandardCharsets.UTF_8));
        out.headers().add("aiot.stage", "ingest".getBytes(StandardCharsets.UTF_8));
        log.debug("Dead-lettered {}/{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
        return deadLetters.send(out);
    }

    private void rewind() {
        try {
            positions.rewind();
        } catch (RuntimeException e) {
            log.warn("Cannot rewind the ingest consumer: {}", e.getMessage());
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            total += l.orElse(0);
        }
        lag = total;
    }

    private void retention() {
        long now = clock.millis();
        if (now < nextRetention) {
            return;
        }
        nextRetention = now + RETENTION_EVERY_MS;
        long deleted = store.trim(now - config.retentionMaxAgeHours() * 3_600_000L, config.retentionMaxRows());
        if (deleted > 0) {
            metrics.trimmed.increment(deleted);
            log.info("Retention deleted {} feature rows", deleted);
        }
    }

    long lag() {
        return lag;
    }
}
