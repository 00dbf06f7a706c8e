package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.models.Rollout;
import io.aiotedge.models.RolloutController;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/models/{name}/rollouts}: start a staged rollout, list and show them with their
 * evidence and history, pause, resume, abort (admin; docs/platform.md, "Rollouts").
 */
final class RolloutsApi {
    private final RolloutController rollouts;
    private final ApiAuth auth;

    RolloutsApi(RolloutController rollouts, ApiAuth auth) {
        this.rollouts = rollouts;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.post("/api/v1/models/{name}/rollouts", this::start);
        app.get("/api/v1/models/{name}/rollouts", ctx -> {
            auth.reader(ctx);
            List<Object> out = new ArrayList<>();
            rollouts.list(ctx.pathParam("name")).forEach(r -> out.add(rollouts.view(r)));
            // staged: whether a promotion goes through a rollout here (an Argo promote step asks)
            ctx.json(Map.of("rollouts", out, "staged", rollouts.config().staged()));
        });
        app.get("/api/v1/models/{name}/rollouts/{id}", ctx -> {
            auth.reader(ctx);
            ctx.json(rollouts.view(rollouts.find(ctx.pathParam("name"), ctx.pathParam("id"))));
        });
        app.post("/api/v1/models/{name}/rollouts/{id}/pause", ctx -> {
            Principal who = auth.admin(ctx);
            show(ctx, rollouts.pause(ctx.pathParam("name"), ctx.pathParam("id"), who.name()));
        });
        app.post("/api/v1/models/{name}/rollouts/{id}/resume", ctx -> {
            Principal who = auth.admin(ctx);
            show(ctx, rollouts.resume(ctx.pathParam("name"), ctx.pathParam("id"), who.name()));
        });
        app.post("/api/v1/models/{name}/rollouts/{id}/abort", ctx -> {
            Principal who = auth.admin(ctx);
            String reason = ctx.body().isBlank() ? null : reason(Bodies.jsonObject(ctx));
            show(ctx, rollouts.abort(ctx.pathParam("name"), ctx.pathParam("id"), who.name(), reason));
        });
    }

    static final int MAX_TARGETING_CHARS = 60_000;
    static final int MAX_REASON = 1000;

    private static String reason(JsonNode b) {
        String r = Bodies.optionalText(b, "reason");
        if (r != null && r.length() > MAX_REASON) {
            throw Rejection.invalid("reason", "must be at most " + MAX_REASON + " characters");
        }
        return r;
    }

    private void start(Context ctx) {
        Principal who = auth.admin(ctx);
        JsonNode b = Bodies.jsonObject(ctx);
        if (!b.path("version").canConvertToInt() || !b.path("version").isIntegralNumber()) {
            throw Rejection.invalid("version", "is required: a version number");
        }
        JsonNode percent = b.path("percent");
        if (!percent.isMissingNode() && !percent.isNull() && !percent.isNumber()) {
            throw Rejection.invalid("percent", "must be a number between 0 and 100");
        }
        RolloutController.Request req = new RolloutController.Request(b.get("version").asInt(),
                b.path("force").asBoolean(false), strings(b, "devices"),
                percent.isNumber() ? percent.asDouble() : null, strings(b, "nodes"),
                reason(b));
        Rollout r = rollouts.start(ctx.pathParam("name"), req, who.name());
        ctx.status(201).json(rollouts.view(r));
    }

    private void show(Context ctx, Rollout r) {
        ctx.json(rollouts.view(r));
    }

    private static List<String> strings(JsonNode b, String field) {
        JsonNode n = b.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.size() > 10_000) {
            throw Rejection.invalid(field, "must be an array of at most 10000 ids");
        }
        List<String> out = new ArrayList<>();
        long chars = 0;
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isEmpty() || e.asText().length() > 128) {
                throw Rejection.invalid(field, "must hold ids of 1-128 characters");
            }
            chars += e.asText().length() + 3;
            out.add(e.asText());
        }
        if (chars > MAX_TARGETING_CHARS) {
            // the stored targeting (and the signed message) holds at most 64 KiB
            throw Rejection.invalid(field, "must hold at most " + MAX_TARGETING_CHARS + " characters of ids in all");
        }
        return out;
    }
}
