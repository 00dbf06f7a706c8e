package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.wire.Json;

/**
 * Where a version came from, for an alert's audit ({@code GET /api/v1/alerts/{id}} joins it on the
 * alert's model name and version): the run that trained it, on which trigger and trainer, the
 * datastore range with its row count and the training-set hash taken at extract time, and whether
 * the alert's {@code lineageId} is this version's. Stateless.
 */
public final class ModelLineage {
    private static final Json JSON = Json.mapper();

    private ModelLineage() {
    }

    /**
     * @param alertLineageId the {@code lineageId} the alert carried, or null
     * @param node the inference node that served it ({@code local} on the platform), or null
     */
    public static ObjectNode of(ModelVersion v, String alertLineageId, String node) {
        JsonNode l = v.lineage() == null ? JSON.createObjectNode() : v.lineage();
        ObjectNode n = JSON.createObjectNode().put("model", v.name()).put("version", v.version())
                .put("lineageId", v.lineageId()).put("status", v.status());
        if (alertLineageId != null) {
            n.put("lineageMatches", alertLineageId.equals(v.lineageId()));
        }
        for (String f : new String[] {"pipelineRun", "trigger", "trainer", "dataFrom", "dataTo", "rows"}) {
            n.set(f, l.path(f).isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : l.get(f));
        }
        n.set("trainingSet", l.path("trainingSet").isMissingNode()
                ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : l.get("trainingSet"));
        n.put("registeredAt", v.createdAt()).put("registeredBy", v.createdBy());
        if (node == null) {
            n.putNull("servedBy");
        } else {
            n.put("servedBy", node);
        }
        return n;
    }
}
