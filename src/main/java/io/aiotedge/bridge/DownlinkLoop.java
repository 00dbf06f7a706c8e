package io.aiotedge.bridge;

import io.aiotedge.config.DownlinkMapping;
import io.aiotedge.core.mqtt.MqttPublisher;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.aiotedge.wire.TopicNames;
import io.aiotedge.wire.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downlink's consumer thread: poll, publish each record into the broker, and commit a
 * partition's offset only past records the broker took (or that went to the dead-letter topic
 * because they cannot or must not be an MQTT publish: no key, a key that is not one topic level, a
 * key or payload its mapping's {@link DownlinkChecks} refuse). When the
 * broker refuses, the partition is rewound to the first record not taken and retried after a
 * back-off, so order per partition holds and nothing is skipped.
 */
final class DownlinkLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DownlinkLoop.class);
    private static final long PUBLISH_TIMEOUT_MS = 30_000;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, DownlinkMapping> byTopic;
    private final MqttPublisher publisher;
    private final Function<SpoolRecord, CompletableFuture<Void>> deadLetters;
    private final BridgeMetrics metrics;
    private final DownlinkChecks checks;
    private final CountDownLatch assignedLatch = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile String failing;

    DownlinkLoop(KafkaConsumer<byte[], byte[]> consumer, Map<String, DownlinkMapping> byTopic,
            MqttPublisher publisher, Function<SpoolRecord, CompletableFuture<Void>> deadLetters,
            BridgeMetrics metrics, DownlinkChecks checks) {
        this.consumer = consumer;
        this.checks = checks;
        this.byTopic = Map.copyOf(byTopic);
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    Set<String> topics() {
        return byTopic.keySet();
    }

    boolean assigned() {
        return assigned;
    }

    /** The last reason the broker refused a publish, null while publishes go through. */
    String failing() {
        return failing;
    }

    boolean awaitAssigned(long timeoutMs) throws InterruptedException {
        return assignedLatch.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(byTopic.keySet(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned = true; // even none: the group answered (more members than partitions)
                    assignedLatch.countDown();
                }
            });
            long backoff = 0;
            while (running) {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                }
                backoff = round(consumer.poll(Duration.ofMillis(500))) ? 0
                        : Math.min(MAX_BACKOFF_MS, Math.max(100, backoff * 2));
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("Downlink consumer failed; the bridge-downlink component must be restarted", e);
            failing = e.toString();
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Delivers one poll's records; false when some partition must be retried. */
    private boolean round(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        boolean all = true;
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            int delivered = deliver(list);
            if (delivered > 0) {
                commits.put(tp, new OffsetAndMetadata(list.get(delivered - 1).offset() + 1));
            }
            if (delivered < list.size()) {
                consumer.seek(tp, list.get(delivered).offset());
                all = false;
            }
        }
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
        if (all) {
            failing = null;
        } else {
            metrics.downlinkRetries.increment();
        }
        return all;
    }

    /** Publishes a partition's records in order; returns how many, from the first, are done. */
    private int deliver(List<ConsumerRecord<byte[], byte[]>> list) throws InterruptedException {
        List<CompletableFuture<Void>> futures = new ArrayList<>(list.size());
        for (ConsumerRecord<byte[], byte[]> r : list) {
            futures.add(send(r));
        }
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get(PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failing = cause.toString();
                log.warn("Downlink publish from {}-{}@{} failed ({}); retrying", list.get(i).topic(),
                        list.get(i).partition(), list.get(i).offset(), failing);
                return i;
            }
        }
        return list.size();
    }

    private CompletableFuture<Void> send(ConsumerRecord<byte[], byte[]> r) {
        DownlinkMapping m = byTopic.get(r.topic());
        String key = null;
        if (m.usesKey()) {
            key = utf8(r.key());
            if (key == null || !TopicNames.isSafeSegment(key)) {
                return deadLetter(r, r.key() == null ? "record has no key for {key} in " + m.mqtt()
                        : "record key is not one valid MQTT topic level: " + describe(r.key()));
            }
        }
        String topic = m.usesKey() ? m.topicFor(key) : m.mqtt();
        byte[] payload = r.value() == null ? new byte[0] : r.value();
        String refusal;
        try {
            refusal = checks.refusal(m, m.usesKey() ? key : utf8(r.key()), payload);
        } catch (RuntimeException e) { // the device directory is unreadable: retry, never guess
            return CompletableFuture.failedFuture(e);
        }
        if (refusal != null) {
            return deadLetter(r, refusal);
        }
        CompletableFuture<Void> published = publisher.publish(new OutboundPublish(topic, payload, m.qos(), m.retain(),
                List.of()));
        return published.handle((ok, e) -> {
            if (e == null) {
                metrics.downlinkPublished.increment();
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalArgumentException) { // the broker will never take it
                return deadLetter(r, "broker refused the publish to " + topic + ": " + cause.getMessage());
            }
            return CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Void> deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        metrics.downlinkDeadLettered.increment();
        List<SpoolRecord.Header> h = new ArrayList<>();
        for (Header header : r.headers()) {
            h.add(new SpoolRecord.Header(header.key(), header.value()));
        }
        h.add(RecordHeaders.header(RecordHeaders.ERROR, reason));
        h.add(RecordHeaders.header(RecordHeaders.SOURCE, r.topic() + "/" + r.partition() + "@" + r.offset()));
        log.warn("Downlink record {}-{}@{} dead-lettered: {}", r.topic(), r.partition(), r.offset(), reason);
        return deadLetters.apply(new SpoolRecord(Topics.DEADLETTER, r.key(), r.value(), h));
    }

    private static String utf8(byte[] b) {
        if (b == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String describe(byte[] key) {
        String s = utf8(key);
        if (s == null) {
            return "(" + key.length + " bytes, not UTF-8)";
        }
        return "'" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "'";
    }
}
