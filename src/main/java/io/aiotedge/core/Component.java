package io.aiotedge.core;

/**
 * A unit of the running node (broker, HTTP server, bridge, ...).
 *
 * <p>Contract: constructors only assign fields; threads, sockets and files are opened in
 * {@link #start()} and released in {@link #stop()}. Both are idempotent: starting a running
 * component or stopping a stopped one does nothing. {@code start()} throws
 * {@link StartupException} when the component cannot run; it then leaves nothing open.
 * Implementations must be safe to query ({@link #state()}, {@link #health()}) from any thread.
 */
public interface Component {

    /** Short stable name used in logs, metrics and health output, e.g. {@code broker}. */
    String name();

    void start();

    void stop();

    ComponentState state();

    /** Health while running; the default derives it from the state. */
    default Health health() {
        return state() == ComponentState.RUNNING ? Health.up() : Health.down(state().name());
    }
}
