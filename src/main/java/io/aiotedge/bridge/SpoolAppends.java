package io.aiotedge.bridge;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Forwarder}'s appends to the {@link Spool}: each runs on the writers (it waits for an
 * fsync) and completes its record's future when the record is durable, or fails it (spool full,
 * bridge stopping). It counts the appends in flight, from the moment the forwarder decides to spool
 * a record until the append is done. The count is guarded by the forwarder's lock, shared here, so
 * the forwarder reads its mode and the count in one step; {@link #reserve} and {@link #inFlight}
 * are called holding it, the other methods take it themselves. Any thread.
 */
final class SpoolAppends {
    private static final Logger log = LoggerFactory.getLogger(SpoolAppends.class);

    private final Spool spool;
    private final ExecutorService writers;
    private final BridgeMetrics metrics;
    private final Object lock;
    /** Appends decided and not yet done; guarded by {@link #lock}. */
    private int inFlight;

    /** @param lock the forwarder's lock, which guards the count and is notified when an append ends */
    SpoolAppends(Spool spool, ExecutorService writers, BridgeMetrics metrics, Object lock) {
        this.spool = spool;
        this.writers = writers;
        this.metrics = metrics;
        this.lock = lock;
    }

    /** Counts {@code n} appends about to start; the caller holds the lock. */
    void reserve(int n) {
        inFlight += n;
    }

    /** The appends in flight; the caller holds the lock. */
    int inFlight() {
        return inFlight;
    }

    /** True when no append is in flight. */
    boolean none() {
        synchronized (lock) {
            return inFlight == 0;
        }
    }

    /** Appends on a writer; the caller has counted it with {@link #reserve}. */
    void submit(SpoolRecord record, CompletableFuture<Void> done) {
        try {
            writers.execute(() -> append(record, done));
        } catch (RejectedExecutionException e) {
            finished();
            done.completeExceptionally(new IllegalStateException("the bridge is stopping"));
        }
    }

    /** Appends on this thread; the caller has counted it with {@link #reserve}. */
    void append(SpoolRecord record, CompletableFuture<Void> done) {
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
            finished();
        }
    }

    private void finished() {
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
    }

    /** Waits until no append is in flight, or {@code running} turns false. */
    void awaitNone(BooleanSupplier running) throws InterruptedException {
        synchronized (lock) {
            while (inFlight > 0 && running.getAsBoolean()) {
                lock.wait(50);
            }
        }
    }
}
