package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.mqtt.ClientEvents;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows which client ids are connected as which principal, so a revoked device's connections can
 * be dropped, and tells {@link ClientEvents} when a principal comes online (first connection) and
 * goes offline (last one gone). Counts per client id, because a session take-over delivers the
 * new connection's start before the old one's disconnect. Thread-safe.
 */
final class ClientTracker implements ClientLifecycleEventListener {
    private final ClientEvents events;
    /** principal name -> client id -> live connections with that id. */
    private final Map<String, Map<String, Integer>> live = new ConcurrentHashMap<>();

    ClientTracker(ClientEvents events) {
        this.events = events;
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        // nothing yet: the principal is known only after authentication
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        principal(input).ifPresent(p -> {
            String clientId = input.getClientInformation().getClientId();
            boolean first = add(p.name(), clientId);
            if (first) {
                events.connected(p, clientId);
            }
        });
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        principal(input).ifPresent(p -> {
            String clientId = input.getClientInformation().getClientId();
            if (remove(p.name(), clientId)) {
                events.disconnected(p, clientId);
            }
        });
    }

    /** The client ids currently connected as {@code name}. */
    List<String> clientIdsOf(String name) {
        Map<String, Integer> ids = live.get(name);
        return ids == null ? List.of() : List.copyOf(ids.keySet());
    }

    boolean online(String name) {
        return live.containsKey(name);
    }

    private boolean add(String name, String clientId) {
        boolean[] first = {false};
        live.compute(name, (k, ids) -> {
            Map<String, Integer> m = ids == null ? new ConcurrentHashMap<>() : ids;
            first[0] = m.isEmpty();
            m.merge(clientId, 1, Integer::sum);
            return m;
        });
        return first[0];
    }

    /** True when this was the principal's last connection. */
    private boolean remove(String name, String clientId) {
        boolean[] last = {false};
        live.computeIfPresent(name, (k, ids) -> {
            ids.computeIfPresent(clientId, (c, n) -> n <= 1 ? null : n - 1);
            last[0] = ids.isEmpty();
            return ids.isEmpty() ? null : ids;
        });
        return last[0];
    }

    private static Optional<Principal> principal(ClientBasedInput input) {
        return ConnectionPrincipal.get(input.getConnectionInformation().getConnectionAttributeStore());
    }
}
