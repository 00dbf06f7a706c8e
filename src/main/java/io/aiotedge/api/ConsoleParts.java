package io.aiotedge.api;

import io.aiotedge.alerts.AlertStore;
import io.aiotedge.config.LiveConfig;
import io.aiotedge.core.Health;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the console's routes need beside the platform services: the sessions (shared with every
 * API module on the node), the live hub, the alert store, the node's meters and health.
 *
 * @param roles this node's roles, as configured
 * @param startedAt epoch ms the node started
 */
public record ConsoleParts(Sessions sessions, LiveHub live, LiveConfig liveConfig, AlertStore alerts,
        MeterRegistry meters, Supplier<Map<String, Health>> health, List<String> roles, long startedAt) {
    public ConsoleParts {
        roles = List.copyOf(roles);
    }
}
