package io.aiotedge.clients;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor a subscription's callbacks run on, tolerant of its owner's shutdown. A component stops by
 * disconnecting and then shutting its executor down; the MQTT client may still hand that executor the
 * subscription's completion or error afterwards. The plain executor rejects it, RxJava turns the rejection into
 * an "undeliverable" error and HiveMQ logs it as an uncaught ERROR with two stack traces on every clean stop.
 * Here a rejected task is dropped and counted: there is no one left to run it for, and a message that was not
 * acknowledged is delivered again by the broker.
 */
final class AfterStopExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(AfterStopExecutor.class);
    private final Executor delegate;
    private final AtomicLong dropped = new AtomicLong();

    AfterStopExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        try {
            delegate.execute(task);
        } catch (RejectedExecutionException e) {
            long n = dropped.incrementAndGet();
            log.debug("Dropped subscription callback {} after the executor stopped: {}", n, e.getMessage());
        }
    }

    long dropped() {
        return dropped.get();
    }
}
