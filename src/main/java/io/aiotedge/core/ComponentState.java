package io.aiotedge.core;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Lifecycle states of a {@link Component} and the transitions allowed between them.
 *
 * <pre>
 * NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED
 *           |                      ^
 *           +-> FAILED ------------+   (a failed start may still be stopped to release resources)
 * </pre>
 * STOPPED and FAILED may start again (restart after stop is allowed).
 */
public enum ComponentState {
    NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED;

    private static final Map<ComponentState, Set<ComponentState>> ALLOWED = Map.of(
            NEW, EnumSet.of(STARTING, STOPPED),
            STARTING, EnumSet.of(RUNNING, FAILED),
            RUNNING, EnumSet.of(STOPPING),
            STOPPING, EnumSet.of(STOPPED, FAILED),
            STOPPED, EnumSet.of(STARTING),
            FAILED, EnumSet.of(STARTING, STOPPING, STOPPED));

    public boolean canMoveTo(ComponentState next) {
        return ALLOWED.get(this).contains(next);
    }
}
