package io.aiotedge.core;

/**
 * What a component's polling loop (run by {@link LoopThread}) shares: the running flag that
 * {@link #stop} clears, waking a blocked poll; the last problem its health reads; and the retry
 * back-off after a failed batch, 100 ms doubling to 10 s, back to 100 ms once a batch succeeds.
 * The datastore ingest and the alert history extend it. {@link #run} and the problem are the
 * loop thread's; {@link #stop} may come from any thread.
 */
public abstract class PollingLoop implements LoopThread.Loop {
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final Runnable wakeup;
    private volatile boolean running = true;
    private volatile String problem;
    private long backoff = FIRST_BACKOFF_MS;

    /** @param wakeup makes a blocked poll return at once (a Kafka consumer's {@code wakeup}) */
    protected PollingLoop(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Whether the loop should go on (false once stopped or interrupted while backing off). */
    protected final boolean running() {
        return running;
    }

    /** A batch went through: healthy again, and the next failure waits the shortest time. */
    protected final void recovered() {
        problem = null;
        backoff = FIRST_BACKOFF_MS;
    }

    /** The loop is not making progress, and why (its owner's health turns DEGRADED). */
    protected final void failing(String why) {
        problem = why;
    }

    /** Waits before the failed batch is tried again, each time twice as long (at most 10 s). */
    protected final void backOff() {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }

    @Override
    public final String problem() {
        return problem;
    }

    @Override
    public final void stop() {
        running = false;
        wakeup.run();
    }
}
