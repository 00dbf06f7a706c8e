package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.pipeline.Pipeline;
import io.aiotedge.pipeline.RunStatus;
import io.javalin.Javalin;
import java.util.Map;

/** {@code /api/v1/pipeline/runs}: start a run (202 with its id), list runs, follow one. Admin only. */
final class PipelineApi {
    private final Pipeline pipeline;
    private final ApiAuth auth;

    PipelineApi(Pipeline pipeline, ApiAuth auth) {
        this.pipeline = pipeline;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.post("/api/v1/pipeline/runs", ctx -> {
            auth.admin(ctx);
            boolean force = false;
            if (!ctx.body().isBlank()) {
                JsonNode f = Bodies.jsonObject(ctx).get("force");
                if (f != null && !f.isBoolean()) {
                    throw Rejection.invalid("force", "must be true or false");
                }
                force = f != null && f.asBoolean();
            }
            long id = pipeline.submit("manual", force);
            ctx.status(202)
                    .json(Map.of("id", id, "status", RunStatus.QUEUED.wire(), "url", "/api/v1/pipeline/runs/" + id));
        });
        app.get("/api/v1/pipeline/runs", ctx -> {
            auth.reader(ctx);
            ctx.json(Map.of("runs", pipeline.recent((int) Bodies.longParam(ctx, "limit", 20, 1, 1000))));
        });
        app.get("/api/v1/pipeline/runs/{id}", ctx -> {
            auth.reader(ctx);
            long id;
            try {
                id = Long.parseLong(ctx.pathParam("id"));
            } catch (NumberFormatException e) {
                throw Rejection.invalid("id", "must be a run number");
            }
            ctx.json(pipeline.run(id));
        });
    }
}
