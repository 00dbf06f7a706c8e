package io.aiotedge.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.devices.Provisioned;
import io.aiotedge.wire.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/devices}: provision, list, show, activate, revoke, report status. */
final class DevicesApi {
    private static final Json JSON = Json.mapper();

    private final DeviceRegistry devices;
    private final ApiAuth auth;

    DevicesApi(DeviceRegistry devices, ApiAuth auth) {
        this.devices = devices;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.post("/api/v1/devices", this::provision);
        app.get("/api/v1/devices", ctx -> {
            auth.reader(ctx);
            int limit = (int) Bodies.longParam(ctx, "limit", 1000, 1, 10_000);
            int offset = (int) Bodies.longParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            ctx.json(Map.of("devices", devices.list(limit, offset)));
        });
        app.get("/api/v1/devices/{id}", ctx -> {
            auth.adminOrDevice(ctx, ctx.pathParam("id"));
            ctx.json(devices.get(ctx.pathParam("id")));
        });
        app.post("/api/v1/devices/{id}/activate", ctx -> {
            auth.adminOrDevice(ctx, ctx.pathParam("id"));
            ctx.json(devices.activate(ctx.pathParam("id")));
        });
        app.post("/api/v1/devices/{id}/revoke", ctx -> {
            auth.operator(ctx);
            ctx.json(devices.revoke(ctx.pathParam("id")));
        });
        app.post("/api/v1/devices/{id}/status", ctx -> {
            auth.adminOrDevice(ctx, ctx.pathParam("id"));
            devices.get(ctx.pathParam("id"));
            devices.record(ctx.pathParam("id"), ctx.body().getBytes(StandardCharsets.UTF_8));
            ctx.status(204);
        });
    }

    private void provision(Context ctx) {
        auth.admin(ctx);
        JsonNode body = Bodies.jsonObject(ctx);
        String id = Bodies.optionalText(body, "id");
        String type = Bodies.optionalText(body, "type");
        JsonNode md = body.get("metadata");
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (md != null && !md.isNull()) {
            if (!md.isObject()) {
                throw Rejection.invalid("metadata", "must be a JSON object");
            }
            if (md.toString().length() > 8000) {
                throw Rejection.invalid("metadata", "must be at most 8000 characters as JSON");
            }
            metadata = JSON.convertValue(md, new TypeReference<Map<String, Object>>() {});
        }
        Provisioned p = devices.provision(id, type, metadata);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", p.device());
        out.put("secret", p.secret());
        out.put("token", p.token());
        out.put("mqtt", Map.of("username", p.device().id(), "password", p.secret()));
        ctx.status(201).json(out);
    }
}
