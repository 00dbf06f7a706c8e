package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.support.Api;
import io.aiotedge.support.PlatformNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry state, keys and the admin token survive a restart on the same data directory. */
class PlatformRestartIT {
    @TempDir
    Path dir;

    @Test
    void devicesModelsAliasesKeysAndToken_surviveARestart() throws Exception {
        byte[] model = PlatformApiIT.model(2048, 11);
        String token;
        String deviceToken;
        String key;
        try (PlatformNode node = new PlatformNode(dir, "kafka.mode=off")) {
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
        try (PlatformNode node = new PlatformNode(dir, "kafka.mode=off")) {
            Api api = node.api();
            assertEquals(token, api.admin(), "the generated admin token is kept");
            assertEquals(key, api.get("/api/v1/signing-key", null).json().get("publicKey").asText());
            assertEquals("ACTIVE", api.get("/api/v1/devices/keep-1", deviceToken).json().get("state").asText());
            assertEquals(1,
                    api.get("/api/v1/models/keep/aliases", token).json().get("aliases").get("champion").asInt());
            Api.Res dl = api.get("/api/v1/models/keep/versions/champion/download", deviceToken);
            assertArrayEquals(model, dl.body());
            assertTrue(api.get("/api/v1/models/keep/versions/1/verify", token).json().get("ok").asBoolean());
        }
    }
}
