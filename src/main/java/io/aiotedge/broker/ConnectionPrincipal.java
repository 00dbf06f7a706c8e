package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import java.util.Optional;

/**
 * Keeps the authenticated principal in HiveMQ's per-connection attribute store, so authorizers
 * and interceptors of that very connection (not of a later one with the same client id) see it.
 */
final class ConnectionPrincipal {
    private static final String KEY = "aiot.principal";

    private ConnectionPrincipal() {
    }

    static void put(ConnectionAttributeStore store, Principal p) {
        store.putAsString(KEY, p.role().id() + "|" + p.source() + "|" + p.name());
    }

    static Optional<Principal> get(ConnectionAttributeStore store) {
        return store.getAsString(KEY).map(s -> {
            String[] parts = s.split("\\|", 3);
            return new Principal(parts[2], Role.parse(parts[0]), parts[1]);
        });
    }
}
