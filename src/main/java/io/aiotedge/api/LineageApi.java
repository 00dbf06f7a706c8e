package io.aiotedge.api;

import io.aiotedge.pipeline.LineageAudit;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /api/v1/models/{name}/versions/{version}/lineage/verify} (viewer): re-reads the rows a
 * version was trained on and compares their hash with the one its lineage recorded
 * (docs/platform.md, "Lineage audit"). One audit runs at a time (it may hold up to
 * {@code Extract.MAX_ROWS} rows); a second caller meanwhile gets 429, so viewers cannot pile
 * re-reads onto an edge node's heap.
 */
final class LineageApi {
    private final LineageAudit audit;
    private final ApiAuth auth;
    private final Semaphore running = new Semaphore(1);

    LineageApi(LineageAudit audit, ApiAuth auth) {
        this.audit = audit;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.get("/api/v1/models/{name}/versions/{version}/lineage/verify", ctx -> {
            auth.reader(ctx);
            int version = Bodies.intPath(ctx, "version");
            if (!running.tryAcquire()) {
                throw new HttpResponseException(429, "a lineage audit is running; try again when it is done");
            }
            try {
                ctx.json(audit.verify(ctx.pathParam("name"), version));
            } finally {
                running.release();
            }
        });
    }
}
