package io.aiotedge.models;

import io.aiotedge.alerts.AlertStore;
import io.aiotedge.alerts.PlatformAlerts;
import io.aiotedge.config.RolloutConfig;
import io.aiotedge.core.LiveFeed;
import io.aiotedge.storage.Database;
import io.aiotedge.support.Models;
import io.aiotedge.wire.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** An in-process registry (and rollout controller) on H2 in a temp dir, without broker or Kafka. */
final class RegistryFixture implements AutoCloseable {
    final Path dir;
    final Clock clock;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Database db;
    final ModelRegistry registry;
    final AlertStore alerts;

    RegistryFixture(Path dir, Clock clock, int keepCandidates, long keepMinAgeMs) {
        this.dir = dir;
        this.clock = clock;
        this.db = new Database(dir, 2);
        this.registry = new ModelRegistry(db::dataSource, dir, new Announcer(() -> null, null, false, false, false),
                () -> "http://localhost:1", clock, 1 << 20, (bytes, n) -> Optional.empty(), meters, keepCandidates,
                keepMinAgeMs);
        this.alerts = new AlertStore(db::dataSource, clock);
        db.start();
        registry.start();
    }

    /** A servable two-feature model, unique per {@code seed}. */
    ModelVersion register(String name, long seed) throws Exception {
        return registry.register(name, new ByteArrayInputStream(Models.servable(2, 0, seed)), ModelMetadata.fromJson(
                Json.mapper().readTree("{\"inputSchema\":{\"features\":[\"a\",\"b\"]},\"lineage\":{\"seed\":" + seed
                        + "}}")),
                "test");
    }

    /** v1 of {@code name} as champion and a v2 to roll out. */
    void championAndCandidate(String name) throws Exception {
        register(name, 1);
        registry.setAlias(name, "champion", 1, "test", "first").get();
        register(name, 2);
    }

    RolloutController controller(RolloutConfig config) {
        RolloutController c = new RolloutController(registry, db::dataSource, config, clock, meters,
                new PlatformAlerts(alerts, LiveFeed.NONE, clock));
        c.start();
        return c;
    }

    static RolloutConfig config(int shadowMinWindows, List<String> canaryDevices, double canaryMinutes) {
        return new RolloutConfig(shadowMinWindows, 0.1, 0.01, 0.02, canaryDevices, 0, List.of(), canaryMinutes, 2.0,
                1.0, 3600, 10, 24);
    }

    @Override
    public void close() {
        registry.stop();
        db.stop();
    }
}
