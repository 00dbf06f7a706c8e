package io.aiotedge.core.mqtt;

import io.aiotedge.core.auth.Principal;

/**
 * What the broker tells the rest of the node about device connections: the device registry keeps
 * online state, last-seen time and reported status from it. Called on broker threads: an
 * implementation must hand work off and return at once, and must never throw.
 */
public interface ClientEvents {
    ClientEvents NONE = new ClientEvents() {
    };

    /** A client authenticated as {@code principal} is connected. */
    default void connected(Principal principal, String clientId) {
    }

    /** That connection is gone (clean disconnect, lost, or dropped by the server). */
    default void disconnected(Principal principal, String clientId) {
    }

    /**
     * A device published on its status topic ({@code aiot/v1/things/{id}/status}); the payload is
     * the raw bytes, not yet validated.
     */
    default void status(Principal principal, String clientId, byte[] payload) {
    }
}
