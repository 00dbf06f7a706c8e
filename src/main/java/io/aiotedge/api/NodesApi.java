package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.devices.NodeTokens;
import io.aiotedge.models.NodeReports;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /api/v1/nodes}: the tokens of inference nodes (admin only) and each node's report
 * ({@code POST /api/v1/nodes/{id}/report}, that node's own token). A node token opens the model
 * download routes and its report route, nothing else; it is shown once, at provisioning.
 */
final class NodesApi {
    private final NodeTokens nodes;
    private final ApiAuth auth;
    private final NodeReports reports;
    private final java.time.Clock clock;

    /** @param reports null where no rollout controller runs: the report route is not installed */
    NodesApi(NodeTokens nodes, ApiAuth auth, NodeReports reports, java.time.Clock clock) {
        this.nodes = nodes;
        this.auth = auth;
        this.reports = reports;
        this.clock = clock;
    }

    void install(Javalin app) {
        app.post("/api/v1/nodes", this::provision);
        app.get("/api/v1/nodes", ctx -> {
            auth.admin(ctx);
            ctx.json(Map.of("nodes", nodes.list()));
        });
        app.post("/api/v1/nodes/{id}/revoke", ctx -> {
            auth.admin(ctx);
            nodes.revoke(ctx.pathParam("id"));
            ctx.json(Map.of("id", ctx.pathParam("id"), "revoked", true));
        });
        if (reports != null) {
            app.post("/api/v1/nodes/{id}/report", ctx -> {
                String id = ctx.pathParam("id");
                auth.node(ctx, id);
                Bodies.requireAtMost(ctx, MAX_REPORT_BYTES);
                JsonNode body = Bodies.jsonObject(ctx);
                if (body.path("schemaVersion").asInt(0) != 1) {
                    throw io.aiotedge.core.Rejection.invalid("schemaVersion", "must be 1");
                }
                ctx.json(Map.of("accepted", reports.record(id, body, clock.millis())));
            });
        }
    }

    private static final long MAX_REPORT_BYTES = 1024 * 1024;

    private void provision(Context ctx) {
        Principal who = auth.admin(ctx);
        JsonNode body = Bodies.jsonObject(ctx);
        String id = Bodies.optionalText(body, "id");
        String token = nodes.provision(id, who.name());
        ctx.status(201).json(Map.of("id", id, "token", token, "scope", NodeTokens.SCOPE));
    }
}
