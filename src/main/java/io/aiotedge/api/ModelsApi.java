package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.models.ModelMetadata;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.ModelSigner;
import io.aiotedge.models.ModelVersion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code /api/v1/models}: upload, list, show, download (OTA), promote, delete, verify, rollout. */
final class ModelsApi {
    private final ModelRegistry models;
    private final DeviceRegistry devices;
    private final ApiAuth auth;
    private final long maxModelBytes;

    ModelsApi(ModelRegistry models, DeviceRegistry devices, ApiAuth auth, long maxModelBytes) {
        this.models = models;
        this.devices = devices;
        this.auth = auth;
        this.maxModelBytes = maxModelBytes;
    }

    void install(Javalin app) {
        app.get("/api/v1/signing-key", ctx -> ctx.json(Map.of("algorithm", "Ed25519",
                "publicKey", ModelSigner.rawBase64(models.publicKey()), "pem", ModelSigner.pem(models.publicKey()))));
        app.get("/api/v1/models", ctx -> {
            auth.anyone(ctx);
            List<Map<String, Object>> out = new ArrayList<>();
            for (String name : models.names()) {
                out.add(Map.of("name", name, "aliases", models.aliases(name)));
            }
            ctx.json(Map.of("models", out));
        });
        app.post("/api/v1/models/{name}/versions", this::upload);
        app.get("/api/v1/models/{name}/versions", ctx -> {
            auth.anyone(ctx);
            ctx.json(Map.of("versions", models.versions(ctx.pathParam("name"))));
        });
        app.get("/api/v1/models/{name}/versions/{version}", ctx -> {
            auth.anyone(ctx);
            ctx.json(models.resolve(ctx.pathParam("name"), ctx.pathParam("version")));
        });
        app.delete("/api/v1/models/{name}/versions/{version}", ctx -> {
            auth.admin(ctx);
            models.delete(ctx.pathParam("name"), Bodies.intPath(ctx, "version"));
            ctx.status(204);
        });
        app.get("/api/v1/models/{name}/versions/{version}/download", this::download);
        app.addHttpHandler(HandlerType.HEAD, "/api/v1/models/{name}/versions/{version}/download", this::download);
        app.get("/api/v1/models/{name}/versions/{version}/verify", ctx -> {
            auth.reader(ctx);
            ModelRegistry.Verification v = models
                    .verify(models.resolve(ctx.pathParam("name"), ctx.pathParam("version")));
            ctx.json(Map.of("fileIntact", v.fileIntact(), "signatureValid", v.signatureValid(), "ok", v.ok()));
        });
        app.get("/api/v1/models/{name}/aliases", ctx -> {
            auth.anyone(ctx);
            String name = ctx.pathParam("name");
            ctx.json(Map.of("aliases", models.aliases(name), "history", models.history(name)));
        });
        app.put("/api/v1/models/{name}/aliases/{alias}", this::setAlias);
        app.post("/api/v1/models/{name}/announce", ctx -> {
            auth.admin(ctx);
            ctx.json(Map.of("announced", announced(models.reannounce(ctx.pathParam("name")))));
        });
        app.get("/api/v1/models/{name}/rollout", ctx -> {
            auth.reader(ctx);
            String v = ctx.queryParam("version");
            Integer version = v == null ? null : (int) Bodies.longParam(ctx, "version", 0, 1, Integer.MAX_VALUE);
            ctx.json(Map.of("devices", devices.rollouts(ctx.pathParam("name"), version)));
        });
        app.get("/api/v1/models/by-sha256/{sha256}", ctx -> {
            auth.anyone(ctx);
            List<ModelVersion> found = models.bySha256(ctx.pathParam("sha256"));
            if (found.isEmpty()) {
                throw Rejection.notFound("model with sha256 " + ctx.pathParam("sha256"));
            }
            ctx.json(Map.of("versions", found));
        });
    }

    private void upload(Context ctx) throws Exception {
        Principal who = auth.admin(ctx);
        long declared = Bodies.contentLength(ctx);
        if (declared > maxModelBytes + 1024 * 1024) {
            throw Rejection
                    .tooLarge("upload of " + declared + " bytes exceeds models.maxModelBytes (" + maxModelBytes + ")");
        }
        if (!ctx.isMultipartFormData()) {
            throw Rejection.invalid("body", "must be multipart/form-data with parts 'file' and 'metadata'");
        }
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null) {
            throw Rejection.invalid("file", "is required (multipart part 'file')");
        }
        String meta = ctx.formParam("metadata");
        if (meta == null) {
            UploadedFile metaFile = ctx.uploadedFile("metadata");
            meta = metaFile == null ? null
                    : new String(metaFile.content().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (meta == null) {
            throw Rejection.invalid("metadata", "is required: a JSON object with at least inputSchema");
        }
        ModelMetadata md = ModelMetadata.fromJson(Bodies.parse("metadata", meta));
        ModelVersion v;
        try (InputStream in = file.content()) {
            v = models.register(ctx.pathParam("name"), in, md, who.name());
        }
        String alias = ctx.queryParam("alias");
        if (alias != null) {
            announced(models.setAlias(v.name(), alias, v.version(), who.name(), "uploaded with alias"));
            v = models.get(v.name(), v.version());
        }
        ctx.status(201).json(v);
    }

    private void download(Context ctx) throws Exception {
        auth.modelDownload(ctx);
        Downloads.serve(ctx, models, models.forDownload(ctx.pathParam("name"), ctx.pathParam("version")));
    }

    private void setAlias(Context ctx) throws Exception {
        Principal who = auth.admin(ctx);
        JsonNode body = Bodies.jsonObject(ctx);
        JsonNode v = body.get("version");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw Rejection.invalid("version", "must be a version number");
        }
        String reason = Bodies.optionalText(body, "reason");
        String name = ctx.pathParam("name");
        boolean announced = announced(models.setAlias(name, ctx.pathParam("alias"), v.asInt(), who.name(), reason));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("announced", announced);
        out.put("aliases", models.aliases(name));
        out.put("version", models.get(name, v.asInt()));
        ctx.json(out);
    }

    /**
     * Waits briefly for an announcement: the alias change is committed either way, and a failed
     * announcement is logged and can be re-sent ({@code POST .../announce}).
     */
    static boolean announced(CompletableFuture<Void> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
