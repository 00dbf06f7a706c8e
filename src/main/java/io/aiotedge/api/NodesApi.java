package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.devices.NodeTokens;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /api/v1/nodes}: the model-download tokens of inference nodes (admin only). A node token
 * opens the model download routes and nothing else; it is shown once, at provisioning.
 */
final class NodesApi {
    private final NodeTokens nodes;
    private final ApiAuth auth;

    NodesApi(NodeTokens nodes, ApiAuth auth) {
        this.nodes = nodes;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.post("/api/v1/nodes", this::provision);
        app.get("/api/v1/nodes", ctx -> {
            auth.reader(ctx);
            ctx.json(Map.of("nodes", nodes.list()));
        });
        app.post("/api/v1/nodes/{id}/revoke", ctx -> {
            auth.admin(ctx);
            nodes.revoke(ctx.pathParam("id"));
            ctx.json(Map.of("id", ctx.pathParam("id"), "revoked", true));
        });
    }

    private void provision(Context ctx) {
        Principal who = auth.admin(ctx);
        JsonNode body = Bodies.jsonObject(ctx);
        String id = Bodies.optionalText(body, "id");
        String token = nodes.provision(id, who.name());
        ctx.status(201).json(Map.of("id", id, "token", token, "scope", "model-download"));
    }
}
