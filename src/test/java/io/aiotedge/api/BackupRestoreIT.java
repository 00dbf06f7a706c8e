package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.cli.AiotEdgeCommand;
import io.aiotedge.config.StorageConfig;
import io.aiotedge.support.Api;
import io.aiotedge.support.Backend;
import io.aiotedge.support.DocExamples;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.support.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/operations.md's backup and restore, done as written: an online backup through
 * {@code POST /api/v1/admin/backup} (plus {@code pg_dump}/{@code pg_restore} on PostgreSQL),
 * {@code aiot-edge restore} into a fresh data dir, and the node there has the devices and models.
 */
class BackupRestoreIT {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void backupThenRestoreIntoAFreshDataDir_bringsBackDevicesAndModels(Backend backend) throws Exception {
        Path first = tmp.resolve("first");
        StorageConfig storage = backend.storage(PG);
        byte[] model = PlatformApiIT.model(4096, 5);
        String deviceToken;
        String zip;
        try (PlatformNode node = new PlatformNode(first, sets(storage))) {
            Api api = node.api();
            deviceToken = provision(api, "bk-1");
            provision(api, "bk-2");
            provision(api, "bk-3");
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("file", model);
            parts.put("metadata", PlatformApiIT.META);
            assertEquals(201, api.postMultipart("/api/v1/models/keep/versions?alias=champion", api.admin(), parts)
                    .status());
            assertEquals(403, api.postJson("/api/v1/admin/backup", deviceToken, "").status(), "a device token");
            assertEquals(401, api.postJson("/api/v1/admin/backup", null, "").status(), "no token");
            Api.Res made = api.postJson("/api/v1/admin/backup", api.admin(), "");
            assertEquals(201, made.status(), made.text());
            JsonNode b = made.json();
            zip = b.get("file").asText();
            assertEquals(backend == Backend.H2 ? "h2" : "postgresql", b.get("database").asText());
            assertEquals(entries(Path.of(zip)).size(), b.get("entries").asInt());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(zip))));
            assertEquals(first.resolve("backups"), Path.of(zip).getParent());
            List<String> fields = new ArrayList<>();
            b.fieldNames().forEachRemaining(fields::add);
            List<String> documented = new ArrayList<>();
            DocExamples.read(Path.of("docs/platform.md")).get("backup").fieldNames().forEachRemaining(documented::add);
            assertEquals(documented, fields, "docs/platform.md's backup example has the fields the API writes");
        }
        List<String> entries = entries(Path.of(zip));
        assertEquals(backend == Backend.H2, entries.contains("platform/aiot.mv.db"), entries.toString());
        assertTrue(entries.contains("keys/model-signing.key") && entries.contains("keys/admin-token"),
                entries.toString());
        assertEquals(1, entries.stream().filter(e -> e.startsWith("models/")).count(), entries.toString());

        StorageConfig restoredDb = backend == Backend.H2 ? storage : pgDumpAndRestore(storage);
        Path fresh = tmp.resolve("fresh");
        assertEquals(0, AiotEdgeCommand.mainWithExitCode("restore", "--from", zip, "--data-dir", fresh.toString()));
        try (PlatformNode node = new PlatformNode(fresh, sets(restoredDb))) {
            Api api = node.api();
            JsonNode devices = api.get("/api/v1/devices", api.admin()).json().get("devices");
            assertEquals(3, devices.size());
            assertEquals("ACTIVE", api.get("/api/v1/devices/bk-1", deviceToken).json().get("state").asText(),
                    "the device's own token still works");
            assertEquals(1, api.get("/api/v1/models/keep/versions", api.admin()).json().get("versions").size());
            assertArrayEquals(model, api.get("/api/v1/models/keep/versions/champion/download", deviceToken).body());
            assertTrue(api.get("/api/v1/models/keep/versions/1/verify", api.admin()).json().get("ok").asBoolean());
        }
        assertEquals(2, AiotEdgeCommand.mainWithExitCode("restore", "--from", zip, "--data-dir", fresh.toString()),
                "a second restore into the now non-empty dir is refused");
    }

    private static String provision(Api api, String id) {
        String token = api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"" + id + "\"}").json().get("token")
                .asText();
        assertEquals(200, api.postJson("/api/v1/devices/" + id + "/activate", token, "").status());
        return token;
    }

    private static String[] sets(StorageConfig s) {
        return s.embedded() ? new String[] {"kafka.mode=off"}
                : new String[] {"kafka.mode=off", "storage.jdbcUrl=" + s.jdbcUrl(), "storage.user=" + s.user(),
                        "storage.password=" + s.password()};
    }

    /** docs/operations.md's PostgreSQL part: pg_dump -Fc, then pg_restore into a new database. */
    private StorageConfig pgDumpAndRestore(StorageConfig from) throws Exception {
        Path dump = tmp.resolve("aiot.dump");
        StorageConfig to = PG.freshDatabase();
        run(PG.bin().resolve("pg_dump").toString(), "-Fc", "-h", "127.0.0.1", "-p", String.valueOf(PG.port()), "-U",
                PostgresServer.USER, "-d", dbName(from), "-f", dump.toString());
        run(PG.bin().resolve("pg_restore").toString(), "--no-owner", "-h", "127.0.0.1", "-p",
                String.valueOf(PG.port()), "-U", PostgresServer.USER, "-d", dbName(to), dump.toString());
        return to;
    }

    private static String dbName(StorageConfig s) {
        return s.jdbcUrl().substring(s.jdbcUrl().lastIndexOf('/') + 1);
    }

    private static void run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PGPASSWORD", PG.password());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " finished");
        assertEquals(0, p.exitValue(), command[0] + ": " + out);
    }

    private static List<String> entries(Path zip) throws Exception {
        List<String> out = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().forEach(e -> out.add(e.getName()));
        }
        assertFalse(out.isEmpty());
        return out;
    }

}
