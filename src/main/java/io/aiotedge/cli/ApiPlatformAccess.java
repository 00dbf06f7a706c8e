package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.pipeline.PlatformAccess;
import io.aiotedge.wire.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The pipeline's access to a platform through its API, for a stage run on its own (an Argo step). */
final class ApiPlatformAccess implements PlatformAccess {
    private static final Json JSON = Json.mapper();
    private final ApiClient api;

    ApiPlatformAccess(ApiClient api) {
        this.api = api;
    }

    @Override
    public List<FeatureRow> rows(long from, long to, long after, int limit) throws Exception {
        JsonNode page = api.get("/api/v1/datastore/rows?format=json&from=" + from + "&to=" + to + "&after=" + after
                + "&limit=" + limit);
        List<FeatureRow> out = new ArrayList<>();
        for (JsonNode r : page.path("rows")) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> f = r.path("features").properties().iterator();
            while (f.hasNext()) {
                Map.Entry<String, JsonNode> e = f.next();
                names.add(e.getKey());
                values.add(e.getValue().asDouble());
            }
            out.add(new FeatureRow(r.path("id").asLong(), null, r.path("deviceId").asText(),
                    r.path("timestamp").asLong(),
                    r.path("sequence").isNumber() ? r.path("sequence").asLong() : null,
                    r.path("label").isTextual() ? r.path("label").asText() : null, names,
                    values.stream().mapToDouble(Double::doubleValue).toArray(), r.path("source").asText()));
        }
        return out;
    }

    @Override
    public Champion champion(String model) throws Exception {
        String base = ApiPaths.of("models", model, "versions", "champion");
        JsonNode v = api.getOrNull(base);
        if (v == null) {
            return null;
        }
        JsonNode ref = v.path("lineage").get("reference");
        // by number: the alias may move before the evaluate step reads the file
        String file = ApiPaths.of("models", model, "versions", v.path("version").asInt(), "download");
        return new Champion(v.path("version").asInt(), v.path("inputSchema").path("features"),
                ref == null || ref.isNull() ? null : ref, v.path("metrics").path("accuracy").asDouble(-1),
                () -> api.getBytes(file));
    }

    @Override
    public Registered register(String model, byte[] tflite, JsonNode metadata) throws Exception {
        JsonNode v = api.upload(ApiPaths.of("models", model, "versions"), "model-int8.tflite", tflite, "metadata",
                JSON.writeValueAsString(metadata));
        return new Registered(v.path("version").asInt(), v.path("sha256").asText());
    }

    @Override
    public void setAlias(String model, String alias, int version, String reason) throws Exception {
        api.putJson(ApiPaths.of("models", model, "aliases", alias),
                JSON.createObjectNode().put("version", version).put("reason", reason).toString());
    }

    /** The platform's {@code rollout.*} decides, as in the scheduler's promote: asked of its rollouts list. */
    @Override
    public boolean staged(String model) throws Exception {
        JsonNode list = api.getOrNull(ApiPaths.of("models", model, "rollouts"));
        if (list == null || !list.path("staged").isBoolean()) {
            // a platform older than staged promotions: it promotes in one step whatever we do
            System.err.println("warning: the platform does not say whether promotions of " + model
                    + " are staged (an older version?); promoting in one step");
            return false;
        }
        return list.get("staged").asBoolean();
    }

    @Override
    public String startRollout(String model, int version, String reason) throws Exception {
        JsonNode r = api.postJson(ApiPaths.of("models", model, "rollouts"),
                JSON.createObjectNode().put("version", version).put("reason", reason).toString());
        return r.path("stage").asText();
    }

}
