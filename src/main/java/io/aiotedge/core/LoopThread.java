package io.aiotedge.core;

import java.time.Duration;

/**
 * A component's polling loop (a Kafka consumer, typically) on its own daemon thread: started once,
 * stopped with a bounded join, and the component's health read from the loop's last problem. The
 * datastore ingest and the alert history share it (and {@link PollingLoop}, the loop's own half).
 *
 * @param <L> the loop, so its owner can still ask it for more (the ingest's lag)
 */
public final class LoopThread<L extends LoopThread.Loop> {

    /** What the thread runs: {@link #run} until {@link #stop}; {@link #problem} null while healthy. */
    public interface Loop extends Runnable {
        /** Asks the loop to end soon (wakes a blocked poll); returns at once. */
        void stop();

        /** Why the loop is not making progress right now, or null. */
        String problem();
    }

    private final L loop;
    private final Thread thread;

    private LoopThread(L loop, String name) {
        this.loop = loop;
        this.thread = new Thread(loop, name);
        thread.setDaemon(true);
    }

    /** Starts {@code loop} on a daemon thread named {@code name}. */
    public static <L extends Loop> LoopThread<L> start(L loop, String name) {
        LoopThread<L> t = new LoopThread<>(loop, name);
        t.thread.start();
        return t;
    }

    public L loop() {
        return loop;
    }

    /** Stops the loop and waits at most {@code patience} for its thread to end. */
    public void stop(Duration patience) throws InterruptedException {
        loop.stop();
        thread.join(patience.toMillis());
    }

    /** DOWN unless the owner runs; DEGRADED with the loop's problem; else UP. */
    public Health health(ComponentState owner) {
        if (owner != ComponentState.RUNNING) {
            return Health.down(owner.name());
        }
        String problem = loop.problem();
        return problem == null ? Health.up() : Health.degraded(problem);
    }
}
