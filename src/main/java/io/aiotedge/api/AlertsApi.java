package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.alerts.Alert;
import io.aiotedge.alerts.AlertStore;
import io.aiotedge.core.Rejection;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.models.ModelLineage;
import io.aiotedge.models.ModelRegistry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/alerts}: the stored alerts (viewer) and their acknowledgement with a note
 * (operator), durable before the answer (docs/platform.md, "Alerts"). One alert comes with the
 * lineage of the model that raised it: run, trainer, data range, training-set hash, serving node.
 */
final class AlertsApi {
    static final int MAX_NOTE = 500;
    private static final Set<String> BANDS = Set.of("OK", "WARNING", "FAILURE");

    private final AlertStore alerts;
    private final ModelRegistry models;
    private final ApiAuth auth;

    AlertsApi(AlertStore alerts, ModelRegistry models, ApiAuth auth) {
        this.alerts = alerts;
        this.models = models;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.get("/api/v1/alerts", this::list);
        app.get("/api/v1/alerts/{id}", ctx -> {
            auth.reader(ctx);
            long id = id(ctx);
            Alert a = alerts.get(id).orElseThrow(() -> Rejection.notFound("alert " + id));
            ctx.json(withLineage(a));
        });
        app.post("/api/v1/alerts/{id}/ack", this::ack);
    }

    /**
     * The alert and {@code lineage}: null when it names no model, or the version is gone (retention
     * keeps aliased and recent versions, docs/platform.md "Retention").
     */
    private JsonNode withLineage(Alert a) {
        com.fasterxml.jackson.databind.node.ObjectNode out = io.aiotedge.wire.Json.mapper().valueToTree(a);
        JsonNode lineage = null;
        if (a.modelName() != null && a.modelVersion() != null) {
            try {
                lineage = ModelLineage.of(models.get(a.modelName(), a.modelVersion()), a.lineageId(), a.node());
            } catch (Rejection gone) {
                lineage = null;
            }
        }
        out.set("lineage", lineage == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : lineage);
        return out;
    }

    private void list(Context ctx) {
        auth.reader(ctx);
        String device = ctx.queryParam("device");
        String band = ctx.queryParam("band");
        if (band != null) {
            band = band.toUpperCase(Locale.ROOT);
            if (!BANDS.contains(band)) {
                throw Rejection.invalid("band", "must be OK, WARNING or FAILURE, got '" + ctx.queryParam("band") + "'");
            }
        }
        String acked = ctx.queryParam("acked");
        if (acked != null && !acked.equals("true") && !acked.equals("false")) {
            throw Rejection.invalid("acked", "must be true or false, got '" + acked + "'");
        }
        Long before = ctx.queryParam("before") == null ? null
                : Bodies.longParam(ctx, "before", 0, 1, Long.MAX_VALUE);
        int limit = (int) Bodies.longParam(ctx, "limit", 50, 1, 500);
        AlertStore.Page page = alerts.list(device, band, acked == null ? null : Boolean.valueOf(acked), before,
                limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", page.alerts());
        out.put("next", page.next());
        ctx.json(out);
    }

    private void ack(Context ctx) {
        Principal who = auth.operator(ctx);
        long id = id(ctx);
        String note = "";
        if (!ctx.body().isBlank()) {
            JsonNode body = Bodies.jsonObject(ctx);
            String n = Bodies.optionalText(body, "note");
            note = n == null ? "" : n.strip();
        }
        if (note.length() > MAX_NOTE) {
            throw Rejection.invalid("note", "must be at most " + MAX_NOTE + " characters, got " + note.length());
        }
        ctx.json(alerts.ack(id, who.name(), note));
    }

    private static long id(Context ctx) {
        try {
            long id = Long.parseLong(ctx.pathParam("id"));
            if (id < 1) {
                throw Rejection.invalid("id", "must be an alert number");
            }
            return id;
        } catch (NumberFormatException e) {
            throw Rejection.invalid("id", "must be an alert number");
        }
    }
}
