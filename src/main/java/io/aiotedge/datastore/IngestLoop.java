package io.aiotedge.datastore;

import io.aiotedge.config.PlatformConfig;
import io.aiotedge.wire.FrameException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
final class IngestLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(IngestLoop.class);
    static final String DEADLETTER = "aiot.deadletter";
    private static final String MESSAGE_ID = "aiot.messageId";
    private static final long RETENTION_EVERY_MS = 60_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final PlatformConfig config;
    private final FeatureStore store;
    private final RowDecoder decoder;
    private final Clock clock;
    private final IngestComponent.IngestMetrics metrics;
    private volatile boolean running = true;
    private volatile String problem;
    private volatile long lag;
    private long nextRetention;

    IngestLoop(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> deadLetters,
               PlatformConfig config, FeatureStore store, RowDecoder decoder, Clock clock,
               IngestComponent.IngestMetrics metrics) {
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.config = config;
        this.store = store;
        this.decoder = decoder;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        long backoff = 100;
        try {
            consumer.subscribe(config.ingestTopics());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                try {
                    if (!records.isEmpty()) {
                        handle(records);
                        consumer.commitSync();
                    }
                    updateLag();
                    retention();
                    problem = null;
                    backoff = 100;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException | InterruptedException | java.util.concurrent.ExecutionException
                         | java.util.concurrent.TimeoutException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    metrics.failures.increment();
                    problem = "storing failed, retrying: " + e.getMessage();
                    log.warn("Ingest batch of {} records failed, rewinding: {}", records.count(), e.getMessage());
                    rewind();
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                deadLetters.close(Duration.ofSeconds(5));
            }
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) throws InterruptedException,
            java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        List<FeatureRow> rows = new ArrayList<>(records.count());
        List<Future<RecordMetadata>> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = dedupeKey(r);
            try {
                rows.add(decoder.decode(r.topic(), r.value(), key, r.timestamp()));
            } catch (FrameException | RuntimeException e) {
                dead.add(deadLetter(r, e.getMessage()));
            }
        }
        for (Future<RecordMetadata> f : dead) {
            f.get(30, TimeUnit.SECONDS); // durable before the offsets move past them
        }
        metrics.deadLettered.increment(dead.size());
        long t0 = System.nanoTime();
        int added = store.insert(rows, clock.millis());
        metrics.batchTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        metrics.stored.increment(added);
        metrics.duplicates.increment(rows.size() - added);
        metrics.lastBatchRows.set(rows.size());
    }

    static String dedupeKey(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(MESSAGE_ID);
        if (h != null && h.value() != null && h.value().length > 0 && h.value().length <= 150) {
            return "m:" + new String(h.value(), StandardCharsets.UTF_8);
        }
        return "k:" + r.topic() + "/" + r.partition() + "@" + r.offset();
    }

    private Future<RecordMetadata> deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(DEADLETTER, r.key(), r.value());
        out.headers().add("aiot.error", String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        out.headers().add("aiot.source", (r.topic() + "/" + r.partition() + "@" + r.offset())
                .getBytes(StandardCharsets.UTF_8));
        out.headers().add("aiot.stage", "ingest".getBytes(StandardCharsets.UTF_8));
        log.debug("Dead-lettered {}/{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
        return deadLetters.send(out);
    }

    private void rewind() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
            for (TopicPartition tp : consumer.assignment()) {
                OffsetAndMetadata o = committed.get(tp);
                if (o != null) {
                    consumer.seek(tp, o.offset());
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
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

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    long lag() {
        return lag;
    }

    String problem() {
        return problem;
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }
}
