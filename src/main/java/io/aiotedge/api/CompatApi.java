package io.aiotedge.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.datastore.CsvUpload;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.devices.Device;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.models.ModelMetadata;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.ModelVersion;
import io.aiotedge.wire.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference implementation's endpoints, answering as its firmware and scripts expect:
 * {@code /provisionDevice}, {@code /confirmActivation} (form {@code device_id}, body {@code TRUE}
 * or {@code FALSE}), {@code /uploadModel}, {@code /uploadQuantizedModel}, {@code /upload}
 * (multipart {@code file}) and {@code GET /quantized/{file}}. Uploads and provisioning need the
 * admin token; the two device-facing calls are open only while {@code compat.legacyDevices} is on
 * (those devices cannot send a token), and otherwise answer FALSE / need a token. Only devices
 * provisioned here may log in without credentials, and {@code /confirmActivation} activates one
 * only with its one-time {@code activation_code}; otherwise an admin activates it
 * ({@code POST /api/v1/devices/{id}/activate}) and {@code /confirmActivation} then answers TRUE.
 */
final class CompatApi {
    private static final Json JSON = Json.mapper();
    /** {@code /confirmActivation} is unauthenticated: larger bodies are refused before any parsing. */
    static final int MAX_OPEN_FORM_BYTES = 4096;

    private final DeviceRegistry devices;
    private final ModelRegistry models;
    private final FeatureStore datastore;
    private final ApiAuth auth;
    private final boolean legacyDevices;
    private final String legacyModel;
    private final Clock clock;

    CompatApi(DeviceRegistry devices, ModelRegistry models, FeatureStore datastore, ApiAuth auth,
            boolean legacyDevices, String legacyModel, Clock clock) {
        this.devices = devices;
        this.models = models;
        this.datastore = datastore;
        this.auth = auth;
        this.legacyDevices = legacyDevices;
        this.legacyModel = legacyModel;
        this.clock = clock;
    }

    void install(Javalin app) {
        app.post("/provisionDevice", this::provision);
        app.post("/confirmActivation", ctx -> {
            Bodies.requireAtMost(ctx, MAX_OPEN_FORM_BYTES);
            String id = ctx.formParam("device_id");
            boolean ok = legacyDevices && id != null
                    && devices.confirmLegacy(id.trim(), ctx.formParam("activation_code"));
            ctx.contentType("text/plain").result(ok ? "TRUE" : "FALSE");
        });
        app.post("/uploadModel", ctx -> upload(ctx, legacyModel + "-full", false));
        app.post("/uploadQuantizedModel", ctx -> upload(ctx, legacyModel, true));
        app.get("/quantized/{file}", ctx -> {
            if (!legacyDevices) {
                auth.modelDownload(ctx);
            }
            Downloads.serve(ctx, models, models.byFileName(ctx.pathParam("file")));
        });
        app.post("/upload", this::uploadCsv);
    }

    private void provision(Context ctx) {
        auth.admin(ctx);
        String id = ctx.formParam("device_id");
        if (id == null || id.isBlank()) {
            throw Rejection.invalid("device_id", "is required (form field)");
        }
        Optional<Device> existing = devices.find(id.trim());
        if (existing.isPresent() && existing.get().state() != Device.State.REVOKED) {
            ctx.json(Map.of("device", existing.get())); // the reference answered 200 to a repeat too
            return;
        }
        var p = devices.provisionCompat(id.trim(), "reference-esp32", Map.of("firmware", "reference"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", p.device());
        out.put("secret", p.secret());
        out.put("token", p.token());
        out.put("activationCode", p.activationCode());
        ctx.json(out);
    }

    private void upload(Context ctx, String name, boolean promote) throws Exception {
        Principal who = auth.admin(ctx);
        UploadedFile file = requireFile(ctx);
        ObjectNode meta = JSON.createObjectNode();
        meta.set("inputSchema", JSON.createObjectNode().set("features",
                JSON.valueToTree(List.of("current", "temperature", "vibration", "sound"))));
        meta.set("tags", JSON.createObjectNode().put("uploadedVia", ctx.path()));
        String fileName = file.filename() == null ? null : Path.of(file.filename()).getFileName().toString();
        if (fileName != null && fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            meta.put("fileName", fileName);
        }
        ModelVersion v;
        try (InputStream in = file.content()) {
            v = models.register(name, in, ModelMetadata.fromJson(meta), who.name());
        }
        if (promote) {
            ModelsApi.announced(
                    models.setAlias(name, "champion", v.version(), who.name(), "uploaded via " + ctx.path()));
            v = models.get(name, v.version());
        }
        ctx.json(v);
    }

    private void uploadCsv(Context ctx) throws Exception {
        auth.admin(ctx);
        UploadedFile file = requireFile(ctx);
        Path tmp = Files.createTempFile("aiot-upload-", ".csv");
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(file.content(), md)) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String sha = HexFormat.of().formatHex(md.digest());
            List<FeatureRow> rows;
            try (InputStream in = Files.newInputStream(tmp)) {
                rows = CsvUpload.parse(in, sha);
            }
            int stored = 0;
            for (int i = 0; i < rows.size(); i += 5000) {
                stored += datastore.insert(rows.subList(i, Math.min(rows.size(), i + 5000)), clock.millis());
            }
            ctx.json(Map.of("rows", rows.size(), "stored", stored, "duplicates", rows.size() - stored));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static UploadedFile requireFile(Context ctx) {
        if (!ctx.isMultipartFormData()) {
            throw Rejection.invalid("body", "must be multipart/form-data with a part 'file'");
        }
        UploadedFile f = ctx.uploadedFile("file");
        if (f == null) {
            throw Rejection.invalid("file", "is required (multipart part 'file')");
        }
        return f;
    }
}
