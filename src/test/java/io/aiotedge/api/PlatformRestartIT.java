package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.Api;
import io.aiotedge.support.Backend;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.support.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Registry state, keys and the admin token survive a restart on the same data directory, with the
 * platform database in the H2 file or on PostgreSQL ({@code storage.jdbcUrl}).
 */
class PlatformRestartIT {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void devicesModelsAliasesKeysAndToken_surviveARestart(Backend backend) throws Exception {
        String[] sets = Stream.concat(Stream.of("kafka.mode=off"), Stream.of(backend.sets(PG))).toArray(String[]::new);
        byte[] model = PlatformApiIT.model(2048, 11);
        String token;
        String deviceToken;
        String key;
        try (PlatformNode node = new PlatformNode(dir, sets)) {
            Api api = node.api();
            token = api.admin();
            deviceToken = api.postJson("/api/v1/devices", token, "{\"id\":\"keep-1\"}").json().get("token").asText();
            api.postJson("/api/v1/devices/keep-1/activate", deviceToken, "");
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("file", model);
            parts.put("metadata", PlatformApiIT.META);
            assertEquals(201, api.postMultipart("/api/v1/models/keep/versions?alias=champion", token, parts).status());
            key = api.get("/api/v1/signing-key", null).json().get("publicKey").asText();
        }
        try (PlatformNode node = new PlatformNode(dir, sets)) {
            Api api = node.api();
            assertEquals(token, api.admin(), "the generated admin token is kept");
            assertEquals(key, api.get("/api/v1/signing-key", null).json().get("publicKey").asText());
            assertEquals("ACTIVE", api.get("/api/v1/devices/keep-1", deviceToken).json().get("state").asText());
            assertEquals(1,
                    api.get("/api/v1/models/keep/aliases", token).json().get("aliases").get("champion").asInt());
            Api.Res dl = api.get("/api/v1/models/keep/versions/champion/download", deviceToken);
            assertArrayEquals(model, dl.body());
            assertTrue(api.get("/api/v1/models/keep/versions/1/verify", token).json().get("ok").asBoolean());
            assertEquals(1, api.get("/api/v1/devices", token).json().get("devices").size());
        }
        if (backend == Backend.POSTGRESQL) {
            assertFalse(Files.exists(dir.resolve("platform")), "no H2 file was made");
        }
    }
}
