package io.aiotedge.bridge;

import io.aiotedge.wire.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch from the spool's head to Kafka and deletes the prefix Kafka acknowledged, so a
 * replay round never loses or reorders: what follows the first unacknowledged record stays in the
 * spool for the next round. A record Kafka refuses for good goes to the dead-letter topic, so it
 * cannot block the spool. Used by the {@link Forwarder}'s replay thread only.
 */
final class ReplaySender {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final Object ACKED = new Object();

    private final Producer<byte[], byte[]> producer;
    private final Spool spool;
    private final BridgeMetrics metrics;
    private final long ackTimeoutMs;

    ReplaySender(Producer<byte[], byte[]> producer, Spool spool, BridgeMetrics metrics, long ackTimeoutMs) {
        this.producer = producer;
        this.spool = spool;
        this.metrics = metrics;
        this.ackTimeoutMs = ackTimeoutMs;
    }

    /**
     * Sends a batch and deletes its acknowledged prefix.
     *
     * @param running false once the bridge is closing: stop waiting for acks
     * @return true when all of it went
     */
    boolean replay(List<Spool.Entry> batch, BooleanSupplier running) throws InterruptedException {
        int n = batch.size();
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
            int at = i;
            try {
                producer.send(toKafka(batch.get(i).record()), (md, e) -> results.set(at, e == null ? ACKED : e));
            } catch (RuntimeException e) {
                for (int j = i; j < n; j++) {
                    results.set(j, e);
                }
                break;
            }
        }
        awaitResults(results, running);
        long through = -1;
        int acked = 0;
        for (int i = 0; i < n; i++) {
            Object r = results.get(i);
            if (r == ACKED) {
                acked++;
            } else if (r instanceof Exception e && Forwarder.permanent(e)) {
                deadLetter(batch.get(i).record(), e);
            } else {
                if (r instanceof Exception e) {
                    log.debug("Replay stopped at spool entry {}: {}", batch.get(i).seq(), e.toString());
                }
                break;
            }
            through = batch.get(i).seq();
        }
        metrics.replayed.increment(acked); // before the spool shrinks: spool + replayed never dips
        if (through >= 0) {
            spool.removeThrough(through);
        }
        return through == batch.get(n - 1).seq();
    }

    private void awaitResults(AtomicReferenceArray<Object> results, BooleanSupplier running)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + ackTimeoutMs;
        for (int i = results.length() - 1; i >= 0; i--) {
            while (results.get(i) == null && running.getAsBoolean() && System.currentTimeMillis() < deadline) {
                Thread.sleep(1);
            }
        }
    }

    private void deadLetter(SpoolRecord record, Exception e) {
        metrics.rejectedByKafka.increment();
        List<SpoolRecord.Header> h = new ArrayList<>(record.headers());
        h.add(RecordHeaders.header(RecordHeaders.ERROR, "Kafka refused the record: " + e.getMessage()));
        h.add(RecordHeaders.header(RecordHeaders.INTENDED_TOPIC, record.topic()));
        try {
            producer.send(toKafka(new SpoolRecord(Topics.DEADLETTER, record.key(), record.value(), h)))
                    .get(ackTimeoutMs, TimeUnit.MILLISECONDS);
            metrics.deadLettered.increment();
            log.warn("Spooled record for {} refused by Kafka ({}); moved to {}", record.topic(), e.toString(),
                    Topics.DEADLETTER);
        } catch (Exception ex) {
            log.error("Spooled record for {} refused by Kafka ({}) and by the dead-letter topic ({}); dropped",
                    record.topic(), e.toString(), ex.toString());
        }
    }

    static ProducerRecord<byte[], byte[]> toKafka(SpoolRecord r) {
        List<Header> headers = new ArrayList<>(r.headers().size());
        for (SpoolRecord.Header h : r.headers()) {
            headers.add(new RecordHeader(h.name(), h.value()));
        }
        return new ProducerRecord<>(r.topic(), null, r.key(), r.value(), headers);
    }
}
