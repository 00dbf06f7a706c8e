package io.aiotedge.core;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implements the {@link Component} state machine once: subclasses supply {@link #doStart()} and
 * {@link #doStop()}; this class makes both idempotent, enforces {@link ComponentState}
 * transitions, logs each transition with its timing, and releases resources
 * ({@code doStop()}) when {@code doStart()} fails half-way. Thread-safe: concurrent calls are
 * serialised on the instance. A failed start comes out as a {@link StartupException} (exit 1),
 * except a {@link ConfigException}, which stays one (a config problem found at start exits 2).
 */
public abstract class AbstractComponent implements Component {
    private static final Logger log = LoggerFactory.getLogger(AbstractComponent.class);

    private final String name;
    private final AtomicReference<ComponentState> state = new AtomicReference<>(ComponentState.NEW);

    protected AbstractComponent(String name) {
        this.name = Checks.notBlank(name, "Component name");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ComponentState state() {
        return state.get();
    }

    /** Opens resources; called at most once per start. Throw to fail the start. */
    protected abstract void doStart() throws Exception;

    /** Releases whatever {@link #doStart()} opened, also after a partial start. */
    protected abstract void doStop() throws Exception;

    @Override
    public final synchronized void start() {
        if (state.get() == ComponentState.RUNNING) {
            return;
        }
        move(ComponentState.STARTING);
        long t0 = System.nanoTime();
        try {
            doStart();
        } catch (Exception | Error e) {
            move(ComponentState.FAILED);
            releaseAfterFailedStart(e);
            if (e instanceof StartupException || e instanceof ConfigException) { // a config problem still exits 2
                throw (RuntimeException) e;
            }
            throw new StartupException(name + " failed to start: " + describe(e), e);
        }
        move(ComponentState.RUNNING);
        log.info("Started {} in {}ms", name, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public final synchronized void stop() {
        ComponentState s = state.get();
        if (s == ComponentState.STOPPED || s == ComponentState.NEW) {
            state.set(ComponentState.STOPPED);
            return;
        }
        move(ComponentState.STOPPING);
        long t0 = System.nanoTime();
        try {
            doStop();
        } catch (Exception e) {
            move(ComponentState.FAILED);
            throw new EdgeException(name + " failed to stop cleanly: " + describe(e), e);
        }
        move(ComponentState.STOPPED);
        log.info("Stopped {} in {}ms", name, (System.nanoTime() - t0) / 1_000_000);
    }

    private void releaseAfterFailedStart(Throwable cause) {
        try {
            doStop();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }

    private void move(ComponentState next) {
        ComponentState current = state.get();
        if (!current.canMoveTo(next)) {
            throw new IllegalStateException(name + ": illegal transition " + current + " -> " + next);
        }
        state.set(next);
        log.trace("{}: {} -> {}", name, current, next);
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }
}
