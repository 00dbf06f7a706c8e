package io.aiotedge.api;

import io.aiotedge.core.EdgeException;
import io.aiotedge.storage.Backups;
import io.javalin.Javalin;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/admin}: operator actions on the running node (admin only). {@code POST .../backup}
 * writes an online backup zip under {@code <dataDir>/backups/} ({@link Backups}); the response says
 * where, since the zip holds secrets and never leaves the node through the API.
 */
final class AdminApi {
    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final Backups backups;
    private final ApiAuth auth;

    AdminApi(Backups backups, ApiAuth auth) {
        this.backups = backups;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.post("/api/v1/admin/backup", ctx -> {
            String who = auth.admin(ctx).name();
            Backups.Made made;
            try {
                made = backups.create();
            } catch (IOException | SQLException e) {
                throw new EdgeException("Backup failed: " + e.getMessage(), e);
            }
            log.info("Backup {} ({} bytes, {} entries, database {}) written for {}", made.file(), made.bytes(),
                    made.entries(), made.database(), who);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("file", made.file().toAbsolutePath().toString());
            body.put("bytes", made.bytes());
            body.put("database", made.database());
            body.put("entries", made.entries());
            ctx.status(201).json(body);
        });
    }
}
