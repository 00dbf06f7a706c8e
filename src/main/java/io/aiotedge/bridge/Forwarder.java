package io.aiotedge.bridge;

import io.aiotedge.wire.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets records durably into Kafka: straight to the producer while Kafka answers, into the
 * {@link Spool} while it does not, and from the spool back into Kafka, in order, when it answers
 * again. A forward's future completes only when the record is durable (Kafka's ack or the
 * spool's fsync), so the publisher can be acknowledged then.
 *
 * <p>Modes: <em>direct</em> until a send fails for a retriable reason (Kafka down, timeout);
 * then <em>spooling</em>: that record and every later one go to the spool, and the replay thread
 * sends the spool's head in batches, deleting what Kafka acknowledged, until the spool is empty
 * and no append is in flight; then direct again. While the spool holds anything, nothing
 * overtakes it. A record Kafka refuses for good (too large, bad topic) fails its future instead.
 */
final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final Object ACKED = new Object();
    private static final long MAX_BACKOFF_MS = 10_000;
    /** Spool appends waiting for a writer beyond which best-effort (QoS 0) records are shed. */
    static final int MAX_PENDING_BEST_EFFORT = 10_000;

    private final Producer<byte[], byte[]> producer;
    private final Spool spool;
    private final ExecutorService writers;
    private final BridgeMetrics metrics;
    private final int replayBatch;
    private final long ackTimeoutMs;
    private final Object lock = new Object();
    private final Thread replayer;
    private boolean spooling;
    private int pendingAppends;
    private long spoolingSinceMillis;
    private volatile boolean running = true;

    /**
     * @param writers runs spool appends (each waits for an fsync) off the broker's and Kafka's threads
     * @param ackTimeoutMs longest wait for Kafka's acks of a replayed batch
     */
    Forwarder(Producer<byte[], byte[]> producer, Spool spool, ExecutorService writers, BridgeMetrics metrics,
            int replayBatch, long ackTimeoutMs) {
        this.producer = producer;
        this.spool = spool;
        this.writers = writers;
        this.metrics = metrics;
        this.replayBatch = replayBatch;
        this.ackTimeoutMs = ackTimeoutMs;
        this.spooling = spool.size() > 0; // an earlier run left records: they go first
        this.spoolingSinceMillis = System.currentTimeMillis();
        this.replayer = new Thread(this::replayLoop, "bridge-replay");
        this.replayer.setDaemon(true);
    }

    void start() {
        replayer.start();
    }

    boolean spooling() {
        synchronized (lock) {
            return spooling;
        }
    }

    long spoolingSinceMillis() {
        synchronized (lock) {
            return spoolingSinceMillis;
        }
    }

    /** Completes when the record is durable; fails with {@link Spool.FullException} or the cause. */
    CompletableFuture<Void> forward(SpoolRecord record) {
        return forward(record, false);
    }

    /**
     * @param bestEffort a QoS 0 record nobody waits for: while the spool's writers are
     *     {@link #MAX_PENDING_BEST_EFFORT} behind it is shed (fails with {@link Spool.FullException})
     *     rather than queued, so a QoS 0 flood during an outage cannot exhaust the heap
     */
    CompletableFuture<Void> forward(SpoolRecord record, boolean bestEffort) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean toSpool;
        synchronized (lock) {
            toSpool = spooling;
            if (toSpool && bestEffort && pendingAppends >= MAX_PENDING_BEST_EFFORT) {
                metrics.shed.increment();
                done.completeExceptionally(new Spool.FullException("spool writers are behind; QoS 0 record shed"));
                return done;
            }
            if (toSpool) {
                pendingAppends++; // counted before the lock is released: the mode cannot flip under it
            }
        }
        if (toSpool) {
            submitAppend(record, done);
            return done;
        }
        long t0 = System.nanoTime();
        try {
            producer.send(toKafka(record), (md, e) -> {
                if (e == null) {
                    metrics.forwarded.increment();
                    metrics.sendLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    done.complete(null);
                } else {
                    onSendFailure(record, done, e);
                }
            });
        } catch (RuntimeException e) { // metadata or buffer wait timed out, producer closed
            onSendFailure(record, done, e);
        }
        return done;
    }

    private void onSendFailure(SpoolRecord record, CompletableFuture<Void> done, Exception e) {
        if (permanent(e)) {
            metrics.rejectedByKafka.increment();
            done.completeExceptionally(e);
            return;
        }
        synchronized (lock) {
            if (!spooling) {
                spooling = true;
                spoolingSinceMillis = System.currentTimeMillis();
                log.warn("Kafka did not take a record ({}); storing to the spool until it does", e.toString());
                lock.notifyAll();
            }
            pendingAppends++;
        }
        submitAppend(record, done);
    }

    /** Caller has counted the append in {@code pendingAppends}. */
    private void submitAppend(SpoolRecord record, CompletableFuture<Void> done) {
        try {
            writers.execute(() -> append(record, done));
        } catch (RejectedExecutionException e) {
            appendFinished();
            done.completeExceptionally(new IllegalStateException("the bridge is stopping"));
        }
    }

    private void append(SpoolRecord record, CompletableFuture<Void> done) {
        try {
            spool.append(record);
            metrics.spooled.increment();
            done.complete(null);
        } catch (Spool.FullException e) {
            metrics.refused.increment();
            done.completeExceptionally(e);
        } catch (RuntimeException e) {
            log.error("Spool append failed: {}", e.toString());
            done.completeExceptionally(e);
        } finally {
            appendFinished();
        }
    }

    private void appendFinished() {
        synchronized (lock) {
            pendingAppends--;
            lock.notifyAll();
        }
    }

    static boolean permanent(Exception e) {
        return !(e instanceof RetriableException) && !(e instanceof InterruptException)
                && !(e instanceof IllegalStateException); // closed producer: keep the record
    }

    private void replayLoop() {
        long backoff = 0;
        boolean kafkaAnswered = false;
        while (running) {
            try {
                if (!awaitSpooling(backoff)) {
                    return;
                }
                // Probe with one record until Kafka acknowledges again: a big batch sent into a
                // half-recovered Kafka can fail at its head and succeed behind it, and the retry
                // would then land the head after records that followed it.
                List<Spool.Entry> batch = spool.peek(kafkaAnswered ? replayBatch : 1);
                if (batch.isEmpty()) {
                    maybeBackToDirect();
                    backoff = 0;
                    kafkaAnswered = false;
                    continue;
                }
                kafkaAnswered = replay(batch);
                backoff = kafkaAnswered ? 0 : Math.min(MAX_BACKOFF_MS, Math.max(250, backoff * 2));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Spool replay failed; retrying", e);
                backoff = MAX_BACKOFF_MS;
            }
        }
    }

    /** Waits until spooling (and the backoff passed); false when closing. */
    private boolean awaitSpooling(long backoffMs) throws InterruptedException {
        long until = System.currentTimeMillis() + backoffMs;
        synchronized (lock) {
            while (running && (!spooling || System.currentTimeMillis() < until)) {
                lock.wait(spooling ? Math.max(1, until - System.currentTimeMillis()) : 1000);
            }
            return running;
        }
    }

    private void maybeBackToDirect() throws InterruptedException {
        synchronized (lock) {
            if (pendingAppends == 0 && spool.size() == 0) {
                spooling = false;
                log.info("Spool drained; sending to Kafka directly again after {} s",
                        (System.currentTimeMillis() - spoolingSinceMillis) / 1000);
            } else {
                lock.wait(20); // an append is still in flight
            }
        }
    }

    /** Sends a batch and deletes its acknowledged prefix; true when all of it went. */
    private boolean replay(List<Spool.Entry> batch) throws InterruptedException {
        int n = batch.size();
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
            int at = i;
            try {
                producer.send(toKafka(batch.get(i).record()),
                        (md, e) -> results.set(at, e == null ? ACKED : e));
            } catch (RuntimeException e) {
                for (int j = i; j < n; j++) {
                    results.set(j, e);
                }
                break;
            }
        }
        awaitResults(results);
        long through = -1;
        int acked = 0;
        for (int i = 0; i < n; i++) {
            Object r = results.get(i);
            if (r == ACKED) {
                acked++;
            } else if (r instanceof Exception e && permanent(e)) {
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

    private void awaitResults(AtomicReferenceArray<Object> results) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ackTimeoutMs;
        for (int i = results.length() - 1; i >= 0; i--) {
            while (results.get(i) == null && running && System.currentTimeMillis() < deadline) {
                Thread.sleep(1);
            }
        }
    }

    /** A spooled record Kafka refuses for good goes to the dead-letter topic, so it cannot block the spool. */
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

    /** Stops replaying; the producer and spool are closed by their owner afterwards. */
    public void close() throws InterruptedException {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        replayer.join(ackTimeoutMs + 5_000);
    }
}
