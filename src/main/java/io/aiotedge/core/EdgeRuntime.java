package io.aiotedge.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node's components: starts them in the given (dependency) order and stops them in
 * reverse. If one fails to start, the ones already started are stopped again and the failure is
 * rethrown (a {@link ConfigException} as it is, anything else as a {@link StartupException}). On stop every component is stopped even if some fail; the first failure is rethrown
 * and the rest are logged. {@code start()} and {@code stop()} are idempotent and synchronized.
 */
public final class EdgeRuntime {
    private static final Logger log = LoggerFactory.getLogger(EdgeRuntime.class);

    private final List<Component> components;
    private final List<Component> started = new ArrayList<>();

    public EdgeRuntime(List<? extends Component> components) {
        this.components = List.copyOf(Checks.notNull(components, "Components"));
    }

    public List<Component> components() {
        return components;
    }

    public synchronized void start() {
        if (!started.isEmpty()) {
            return;
        }
        for (Component c : components) {
            try {
                c.start();
                started.add(c);
            } catch (RuntimeException e) {
                log.error("{} failed to start; stopping the {} already started", c.name(), started.size());
                stopStarted(e);
                throw e instanceof StartupException || e instanceof ConfigException ? e
                        : new StartupException(c.name() + " failed to start", e);
            }
        }
    }

    public synchronized void stop() {
        RuntimeException first = stopStarted(null);
        if (first != null) {
            throw first;
        }
    }

    /** Stops the started components in reverse; returns the first failure (or adds to {@code cause}). */
    private RuntimeException stopStarted(RuntimeException cause) {
        RuntimeException first = null;
        List<Component> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (Component c : reverse) {
            try {
                c.stop();
            } catch (RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    log.warn("Also failed to stop {}: {}", c.name(), e.getMessage());
                }
            }
        }
        started.clear();
        return first;
    }

    /** Health of every component by name, in start order. */
    public Map<String, Health> health() {
        Map<String, Health> out = new LinkedHashMap<>();
        for (Component c : components) {
            out.put(c.name(), c.state() == ComponentState.RUNNING ? c.health() : Health.down(c.state().name()));
        }
        return out;
    }

    /** Ready when every component runs and none reports DOWN (DEGRADED still serves). */
    public boolean ready() {
        return Health.allServing(health());
    }
}
