package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.datastore.RowQuery;
import io.aiotedge.models.ModelMetadata;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.ModelVersion;
import io.aiotedge.models.RolloutController;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's access to the platform from inside the platform process: the datastore and the
 * registry directly.
 */
final class LocalPlatformAccess implements PlatformAccess {
    private final FeatureStore store;
    private final ModelRegistry models;
    private final RolloutController rollouts;

    /** @param rollouts null when no rollout controller runs: promotion is one step */
    LocalPlatformAccess(FeatureStore store, ModelRegistry models, RolloutController rollouts) {
        this.store = store;
        this.models = models;
        this.rollouts = rollouts;
    }

    @Override
    public boolean staged(String model) {
        return rollouts != null && rollouts.config().staged();
    }

    @Override
    public String startRollout(String model, int version, String reason) {
        return rollouts.start(model, new RolloutController.Request(version, false, null, null, null, reason),
                "pipeline").stage();
    }

    @Override
    public List<FeatureRow> rows(long from, long to, long after, int limit) {
        return store.query(new RowQuery(from, to, null, null, after, limit));
    }

    @Override
    public Champion champion(String model) throws Exception {
        ModelVersion v;
        try {
            v = models.resolve(model, "champion");
        } catch (Rejection e) {
            return null;
        }
        JsonNode ref = v.lineage().get("reference");
        return new Champion(v.version(), v.inputSchema().path("features"), ref == null || ref.isNull() ? null : ref,
                v.metrics().path("accuracy").asDouble(-1), () -> Files.readAllBytes(models.content(v)));
    }

    @Override
    public Registered register(String model, byte[] tflite, JsonNode metadata) throws Exception {
        ModelVersion v = models.register(model, new ByteArrayInputStream(tflite), ModelMetadata.fromJson(metadata),
                "pipeline");
        return new Registered(v.version(), v.sha256());
    }

    @Override
    public void setAlias(String model, String alias, int version, String reason) throws Exception {
        models.setAlias(model, alias, version, "pipeline", reason).get(30, TimeUnit.SECONDS);
    }
}
