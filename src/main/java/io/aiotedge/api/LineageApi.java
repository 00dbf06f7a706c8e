package io.aiotedge.api;

import io.aiotedge.pipeline.LineageAudit;
import io.javalin.Javalin;

/**
 * {@code GET /api/v1/models/{name}/versions/{version}/lineage/verify} (viewer): re-reads the rows a
 * version was trained on and compares their hash with the one its lineage recorded
 * (docs/platform.md, "Lineage audit").
 */
final class LineageApi {
    private final LineageAudit audit;
    private final ApiAuth auth;

    LineageApi(LineageAudit audit, ApiAuth auth) {
        this.audit = audit;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.get("/api/v1/models/{name}/versions/{version}/lineage/verify", ctx -> {
            auth.reader(ctx);
            ctx.json(audit.verify(ctx.pathParam("name"), Bodies.intPath(ctx, "version")));
        });
    }
}
