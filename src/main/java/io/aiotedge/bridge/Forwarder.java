package io.aiotedge.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
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
 * sends the spool's head in batches ({@link ReplaySender}), deleting what Kafka acknowledged.
 * Once it has caught up, the <em>hand-over</em>: new records wait in memory while the last appends
 * finish and the tail is sent, then go to Kafka in arrival order, and direct mode resumes (so a
 * steady stream cannot keep the bridge in the spool). While the spool holds anything, nothing
 * overtakes it. A record Kafka refuses for good (too large, bad topic) fails its future instead.
 *
 * <p>Threads: {@link #forward} is called from the broker's and Kafka's threads, appends run on the
 * writers ({@link SpoolAppends}), replay and hand-over on the {@code bridge-replay} thread. The
 * mode, the held records and the count of appends in flight are guarded by one lock.
 */
final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final long MAX_BACKOFF_MS = 10_000;
    /** Spool appends waiting for a writer beyond which best-effort (QoS 0) records are shed. */
    static final int MAX_PENDING_BEST_EFFORT = 10_000;

    private final Producer<byte[], byte[]> producer;
    private final Spool spool;
    private final SpoolAppends appends;
    private final BridgeMetrics metrics;
    private final ReplaySender sender;
    private final int replayBatch;
    private final long ackTimeoutMs;
    private final Object lock = new Object();
    private final Thread replayer;
    private boolean spooling;
    /** Records waiting in memory while the spool's tail is handed over; null otherwise. */
    private List<Held> held;
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
        this.appends = new SpoolAppends(spool, writers, metrics, lock);
        this.metrics = metrics;
        this.sender = new ReplaySender(producer, spool, metrics, ackTimeoutMs);
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
            int behind = appends.inFlight() + (held == null ? 0 : held.size());
            if (toSpool && bestEffort && behind >= MAX_PENDING_BEST_EFFORT) {
                metrics.shed.increment();
                done.completeExceptionally(new Spool.FullException("spool writers are behind; QoS 0 record shed"));
                return done;
            }
            if (held != null) {
                held.add(new Held(record, done)); // sent or spooled, in order, when the hand-over ends
                return done;
            }
            if (toSpool) {
                appends.reserve(1); // counted before the lock is released: the mode cannot flip under it
            }
        }
        if (toSpool) {
            appends.submit(record, done);
        } else {
            sendDirect(record, done);
        }
        return done;
    }

    private void sendDirect(SpoolRecord record, CompletableFuture<Void> done) {
        long t0 = System.nanoTime();
        try {
            producer.send(ReplaySender.toKafka(record), (md, e) -> {
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
            appends.reserve(1);
        }
        appends.submit(record, done);
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
                int asked = kafkaAnswered ? replayBatch : 1;
                List<Spool.Entry> batch = spool.peek(asked);
                if (batch.isEmpty() && appends.none()) {
                    maybeBackToDirect();
                    backoff = 0;
                    kafkaAnswered = false;
                    continue;
                }
                kafkaAnswered = batch.isEmpty() || sender.replay(batch, () -> running);
                if (kafkaAnswered && batch.size() < asked) { // caught up with the writers
                    kafkaAnswered = handOver();
                }
                if (!kafkaAnswered) {
                    metrics.replayRoundsFailed.increment();
                }
                backoff = kafkaAnswered ? 0 : Math.min(MAX_BACKOFF_MS, Math.max(250, backoff * 2));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Spool replay failed; retrying", e);
                backoff = MAX_BACKOFF_MS;
            }
        }
    }

    /**
     * The way back to direct while records keep arriving: new records wait in memory (not in the
     * spool) while the appends in flight finish and the spool's tail goes to Kafka; then they are
     * sent, in arrival order, and direct mode resumes. Without this, a steady stream (each
     * device sends its next record as soon as the last one is durable) leaves an append in flight
     * at almost every instant, and the bridge would stay in the spool for as long as it lasts.
     *
     * @return false when Kafka failed on the tail: the held records went to the spool after it
     */
    private boolean handOver() throws InterruptedException {
        synchronized (lock) {
            held = new ArrayList<>();
        }
        while (running) {
            appends.awaitNone(() -> running); // each is one fsync; no new one starts while records are held
            List<Spool.Entry> tail = spool.peek(replayBatch);
            if (tail.isEmpty()) {
                if (goDirectWithHeld()) {
                    return true;
                }
            } else if (!sender.replay(tail, () -> running)) {
                break;
            }
        }
        spoolHeld();
        return false;
    }

    /** False when a late send failure put a record in the spool meanwhile: the tail goes first. */
    private boolean goDirectWithHeld() {
        synchronized (lock) { // forward() waits meanwhile, so nothing overtakes the held records
            if (appends.inFlight() > 0 || spool.size() > 0) {
                return false;
            }
            List<Held> waiting = held;
            held = null;
            spooling = false;
            log.info("Spool drained; sending to Kafka directly again after {} s ({} records waited in memory)",
                    (System.currentTimeMillis() - spoolingSinceMillis) / 1000, waiting.size());
            for (Held h : waiting) {
                if (spooling) { // Kafka failed on one of them: the rest follow it into the spool
                    appends.reserve(1);
                    appends.submit(h.record(), h.done());
                } else {
                    sendDirect(h.record(), h.done());
                }
            }
            return true;
        }
    }

    /** Appends the held records to the spool in arrival order, then lets forward() append again. */
    private void spoolHeld() {
        while (true) {
            List<Held> batch;
            synchronized (lock) {
                if (held.isEmpty()) {
                    held = null;
                    return;
                }
                batch = held;
                held = new ArrayList<>();
                appends.reserve(batch.size());
            }
            for (Held h : batch) {
                appends.append(h.record(), h.done());
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
            if (appends.inFlight() == 0 && spool.size() == 0) {
                spooling = false;
                log.info("Spool drained; sending to Kafka directly again after {} s",
                        (System.currentTimeMillis() - spoolingSinceMillis) / 1000);
            } else {
                lock.wait(20); // an append is still in flight
            }
        }
    }

    private record Held(SpoolRecord record, CompletableFuture<Void> done) {
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
