package io.aiotedge.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.PipelineConfig;
import io.aiotedge.config.RolloutConfig;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.models.Announcer;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.ModelVersion;
import io.aiotedge.models.Rollout;
import io.aiotedge.models.RolloutController;
import io.aiotedge.storage.Database;
import io.aiotedge.support.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention over many scheduled pipeline cycles in-process (H2 in a temp dir, a drifting
 * datastore, one simulated hour per cycle): the registry, its blob files and the run history stay
 * bounded, and the champion, the previous champion and a version in an active rollout are never
 * deleted.
 */
class RetentionTest {
    private static final int CYCLES = 200;
    private static final int KEEP_CANDIDATES = 3;
    private static final int KEEP_RUNS = 10;

    @TempDir
    Path dir;

    private static List<FeatureRow> rows(int cycle, long now) {
        Random r = new Random(cycle);
        double shift = (cycle % 7) * 0.3; // the regime drifts and comes back
        List<FeatureRow> out = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            boolean faulty = i % 2 == 1;
            double current = 2.0 + shift + (faulty ? 0.8 : 0) + 0.25 * r.nextGaussian();
            double vibration = 0.2 + (faulty ? 0.25 : 0) + 0.06 * r.nextGaussian();
            out.add(new FeatureRow(0, "c" + cycle + "-" + i, "motor-00" + (i % 4), now - 60_000 + i, null,
                    faulty ? "bearing-wear" : "healthy", List.of("current_rms", "vibration_rms"),
                    new double[] {current, vibration}, "test"));
        }
        return out;
    }

    @Test
    void manyScheduledCycles_keepRegistryBlobsAndRunsBounded_andNeverDeleteAliasedOrRollingOut() throws Exception {
        ManualClock clock = new ManualClock(1_795_700_000_000L);
        Database db = new Database(dir, 2);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRegistry models = new ModelRegistry(db::dataSource, dir, new Announcer(() -> null, null, false, false,
                false), () -> "http://localhost:1", clock, 1 << 20, (b, n) -> Optional.empty(), meters,
                KEEP_CANDIDATES, 0);
        RolloutController rollouts = new RolloutController(models, db::dataSource, new RolloutConfig(0, 0.1, 0.01,
                0.02, List.of("motor-001"), 0, List.of(), 60, 2.0, 1.0, 3600, KEEP_CANDIDATES, 0), clock, meters,
                alert -> {});
        FeatureStore features = new FeatureStore(db::dataSource);
        PipelineConfig config = new PipelineConfig(true, "motor", 0, 1, 40, 10, 0.2, 0.5, 0.0, 1e-9, 1e-9,
                PipelineConfig.Trainer.LOGISTIC, List.of(8), KEEP_RUNS);
        Pipeline pipeline = new Pipeline(config, db::dataSource, features, models, clock, meters);
        db.start();
        models.start();
        rollouts.start();
        pipeline.start();
        Rollout pinned = null;
        Set<Integer> everChampion = new HashSet<>();
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                clock.advanceMillis(3_600_000);
                features.insert(rows(cycle, clock.millis()), clock.millis());
                long id = pipeline.submit("schedule", false);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> pipeline.run(id).finishedAt() != null);
                Map<String, Integer> aliases = models.aliases("motor");
                everChampion.add(aliases.get("champion"));
                for (int v : aliases.values()) {
                    models.get("motor", v); // every aliased version is still there
                }
                if (cycle == 10) { // an uploaded candidate goes into a canary that outlives many cycles
                    ModelVersion uploaded = models.register("motor", new java.io.ByteArrayInputStream(
                            io.aiotedge.support.Models.servable(2, 0, 999)),
                            io.aiotedge.models.ModelMetadata
                                    .fromJson(io.aiotedge.wire.Json.mapper().readTree("{\"inputSchema\":"
                                            + "{\"features\":[\"current_rms\",\"vibration_rms\"]}}")),
                            "test");
                    pinned = rollouts.start("motor", new RolloutController.Request(uploaded.version(), true, null,
                            null, null, "pin"), "test");
                }
                if (pinned != null) {
                    models.get("motor", pinned.version());
                }
            }
            List<ModelVersion> left = models.versions("motor");
            int last = left.get(0).version();
            assertTrue(last >= CYCLES / 2, "most cycles registered a version: " + last);
            assertTrue(everChampion.size() > 2, "champions changed: " + everChampion);
            Set<Integer> kept = new HashSet<>(models.aliases("motor").values());
            if (pinned != null) {
                kept.add(pinned.version());
                kept.add(pinned.fromVersion());
            }
            assertTrue(left.size() <= KEEP_CANDIDATES + kept.size(), left.size() + " versions left");
            Set<String> liveShas = new HashSet<>();
            left.forEach(v -> liveShas.add(v.sha256()));
            assertEquals(liveShas, blobFiles(dir.resolve("models").resolve("blobs")));
            assertEquals(KEEP_RUNS, pipeline.recent(10_000).size());
            ModelVersion champion = models.resolve("motor", "champion");
            com.fasterxml.jackson.databind.JsonNode trainingSet = champion.lineage().get("trainingSet");
            assertEquals(80, trainingSet.get("rows").asInt(), "the hash covers this cycle's rows only");
            assertEquals(64, trainingSet.get("sha256").asText().length());
            com.fasterxml.jackson.databind.JsonNode audit = io.aiotedge.models.ModelLineage.of(champion,
                    champion.lineageId(), "local");
            assertEquals(true, audit.get("lineageMatches").asBoolean());
            assertEquals(trainingSet, audit.get("trainingSet"));
            assertEquals("schedule", audit.get("trigger").asText());
        } finally {
            pipeline.stop();
            rollouts.stop();
            models.stop();
            db.stop();
        }
    }

    @Test
    void twoHundredRegisterCycles_keepTheBound_andTheAliasedAndRollingOutVersions() throws Exception {
        ManualClock clock = new ManualClock(1_795_700_000_000L);
        Database db = new Database(dir, 2);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelRegistry models = new ModelRegistry(db::dataSource, dir, new Announcer(() -> null, null, false, false,
                false), () -> "http://localhost:1", clock, 1 << 20, (b, n) -> Optional.empty(), meters,
                KEEP_CANDIDATES, 3_600_000);
        RolloutController rollouts = new RolloutController(models, db::dataSource, new RolloutConfig(0, 0.1, 0.01,
                0.02, List.of("motor-001"), 0, List.of(), 60, 2.0, 1.0, 3600, KEEP_CANDIDATES, 1), clock, meters,
                alert -> {});
        db.start();
        models.start();
        rollouts.start();
        io.aiotedge.models.ModelMetadata meta = io.aiotedge.models.ModelMetadata.fromJson(
                io.aiotedge.wire.Json.mapper().readTree("{\"inputSchema\":{\"features\":[\"a\",\"b\"]}}"));
        Rollout pinned = null;
        try {
            for (int cycle = 1; cycle <= 200; cycle++) {
                clock.advanceMillis(10 * 60_000); // six a simulated hour: the youngest six are kept by age
                ModelVersion v = models.register("motor", new java.io.ByteArrayInputStream(
                        io.aiotedge.support.Models.servable(2, 0, cycle)), meta, "test");
                if (cycle % 3 == 0) {
                    models.setAlias("motor", "champion", v.version(), "test", "cycle " + cycle).get();
                }
                if (cycle == 50) {
                    pinned = rollouts.start("motor", new RolloutController.Request(v.version() - 1, true, null,
                            null, null, "pin"), "test");
                }
            }
            List<ModelVersion> left = models.versions("motor");
            assertEquals(200, left.get(0).version());
            Set<Integer> numbers = new HashSet<>();
            left.forEach(v -> numbers.add(v.version()));
            assertTrue(numbers.containsAll(models.aliases("motor").values()), numbers.toString());
            assertTrue(numbers.contains(pinned.version()), "the canary " + pinned.version() + " is kept");
            // champion 198, previous 195, the rollout's 49 and 48, six young ones (195-200), 3 more
            assertEquals(Set.of(48, 49, 192, 193, 194, 195, 196, 197, 198, 199, 200), numbers);
            Set<String> liveShas = new HashSet<>();
            left.forEach(v -> liveShas.add(v.sha256()));
            assertEquals(liveShas, blobFiles(dir.resolve("models").resolve("blobs")));
        } finally {
            rollouts.stop();
            models.stop();
            db.stop();
        }
    }

    private static Set<String> blobFiles(Path root) throws Exception {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }
}
