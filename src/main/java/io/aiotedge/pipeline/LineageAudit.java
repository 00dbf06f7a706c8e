package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.ModelVersion;
import io.aiotedge.wire.Json;
import java.util.List;

/**
 * Re-checks a version's training-set hash (docs/pipeline.md, "Audit"): re-reads the rows the
 * extract hashed, with the same code ({@link Extract} over the lineage's {@code dataFrom..dataTo},
 * limited to the recorded {@code firstId..lastId}), and compares {@link TrainingSetHash}es. When
 * the lineage has no {@code trainingSet}, or retention has already deleted the set's oldest rows,
 * it says so ({@code match: null}) instead of reporting a mismatch. Stateless.
 */
public final class LineageAudit {
    private static final Json JSON = Json.mapper();

    private final ModelRegistry models;
    private final PlatformAccess platform;

    public LineageAudit(FeatureStore store, ModelRegistry models) {
        this.models = models;
        this.platform = new LocalPlatformAccess(store, models, null);
    }

    /**
     * {@code {model, version, match, verifiable, reason, recorded, now}}; 404 (a Rejection) for an
     * unknown version.
     */
    public ObjectNode verify(String name, int version) throws Exception {
        ModelVersion v = models.get(name, version);
        JsonNode lineage = v.lineage() == null ? JSON.createObjectNode() : v.lineage();
        JsonNode recorded = lineage.path("trainingSet");
        ObjectNode out = JSON.createObjectNode().put("model", name).put("version", version);
        if (!recorded.isObject() || !recorded.path("sha256").isTextual() || !recorded.path("firstId").canConvertToLong()
                || !recorded.path("lastId").canConvertToLong() || !lineage.path("dataFrom").canConvertToLong()
                || !lineage.path("dataTo").canConvertToLong()) {
            return unverifiable(out, recorded.isObject() ? recorded : null, null, name + " v" + version
                    + " records no training-set hash to check (not trained by the pipeline, or trained before "
                    + "hashes were recorded, or on no rows)");
        }
        long first = recorded.get("firstId").asLong();
        long last = recorded.path("lastId").asLong();
        Extract.Result again = Extract.run(platform, lineage.get("dataFrom").asLong(), lineage.get("dataTo").asLong(),
                first - 1, last);
        ObjectNode now = again.trainingSet();
        now.remove("extractedAt");
        boolean match = recorded.get("sha256").asText().equals(now.path("sha256").asText())
                && recorded.path("rows").asLong() == now.path("rows").asLong();
        if (!match) {
            List<FeatureRow> oldest = platform.rows(Long.MIN_VALUE, Long.MAX_VALUE, 0, 1);
            if (oldest.isEmpty() || oldest.get(0).id() > first) {
                return unverifiable(out, recorded, now, "datastore retention has deleted rows of this training set "
                        + "(it starts at row " + first + ", the oldest row kept is "
                        + (oldest.isEmpty() ? "none" : String.valueOf(oldest.get(0).id()))
                        + "): the data can no longer be checked");
            }
        }
        out.put("match", match).put("verifiable", true).put("reason", match
                ? "the rows " + first + ".." + last + " hash as they did at extract time"
                : "the rows " + first + ".." + last + " changed since extract time (a row was changed or deleted)");
        out.set("recorded", recorded);
        out.set("now", now);
        return out;
    }

    private static ObjectNode unverifiable(ObjectNode out, JsonNode recorded, ObjectNode now, String reason) {
        out.putNull("match");
        out.put("verifiable", false).put("reason", reason);
        if (recorded == null) {
            out.putNull("recorded");
        } else {
            out.set("recorded", recorded);
        }
        if (now == null) {
            out.putNull("now");
        } else {
            out.set("now", now);
        }
        return out;
    }
}
