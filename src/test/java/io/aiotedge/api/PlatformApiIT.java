package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.support.Api;
import io.aiotedge.support.PlatformNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform API over a real in-process platform node (H2 file, Javalin, HiveMQ; Kafka off). */
class PlatformApiIT {
    static final String META = "{\"inputSchema\":{\"features\":[\"current_rms\",\"vibration_rms\"],"
            + "\"normalisation\":{\"mean\":[1.0,0.5],\"std\":[0.2,0.1]}},\"metrics\":{\"accuracy\":0.97},"
            + "\"lineage\":{\"pipelineRun\":\"r-1\"},\"tags\":{\"owner\":\"line-a\"}}";

    @TempDir
    static Path dir;
    static PlatformNode node;
    static Api api;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        node = new PlatformNode(dir, "kafka.mode=off", "models.maxModelBytes=65536", "http.maxRequestBytes=16384");
        api = node.api();
        admin = api.admin();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** A real two-feature model (META's schema), padded to {@code size} bytes where it is smaller. */
    static byte[] model(int size, long seed) {
        return io.aiotedge.support.Models.servable(2, size, seed);
    }

    static JsonNode upload(String name, byte[] content, String meta, String alias) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("file", content);
        parts.put("metadata", meta);
        Api.Res r = api.postMultipart("/api/v1/models/" + name + "/versions" + (alias == null ? "" : "?alias=" + alias),
                admin, parts);
        assertEquals(201, r.status(), r.text());
        return r.json();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void provisioning_returnsTheSecretOnce_andListingNeverShowsIt() {
        Api.Res r = api.postJson("/api/v1/devices", admin,
                "{\"id\":\"pump-7\",\"type\":\"esp32\",\"metadata\":{\"line\":\"B\"}}");
        assertEquals(201, r.status(), r.text());
        String secret = r.json().get("secret").asText();
        assertTrue(secret.length() >= 32);
        assertEquals("pump-7." + secret, r.json().get("token").asText());
        Api.Res list = api.get("/api/v1/devices", admin);
        assertEquals(200, list.status());
        assertFalse(list.text().contains(secret));
        assertTrue(list.text().contains("\"pump-7\""));
        assertEquals(409, api.postJson("/api/v1/devices", admin, "{\"id\":\"pump-7\"}").status());
    }

    @Test
    void deviceEndpoints_answer401WithoutToken_403WithAWrongOne_400NamingTheField_404ForUnknown() {
        assertEquals(401, api.postJson("/api/v1/devices", null, "{\"id\":\"a\"}").status());
        Api.Res unauth = api.get("/api/v1/devices", null);
        assertEquals(401, unauth.status());
        assertEquals("Bearer realm=\"aiot-edge\"", unauth.header("WWW-Authenticate"));
        assertEquals(401, unauth.json().get("status").asInt());
        assertEquals(403, api.get("/api/v1/devices", "not-the-token").status());
        Api.Res bad = api.postJson("/api/v1/devices", admin, "{\"id\":\"has/slash\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("message").asText().startsWith("id:"), bad.text());
        assertEquals(400, api.postJson("/api/v1/devices", admin, "{\"id\":\"m\",\"metadata\":[1]}").status());
        assertTrue(
                api.postJson("/api/v1/devices", admin, "{\"id\":").json().get("message").asText().startsWith("body:"));
        assertEquals(404, api.get("/api/v1/devices/nobody", admin).status());
        assertEquals(404, api.get("/api/v1/nothing-here", admin).status());
        String big = "{\"id\":\"x\",\"metadata\":{\"a\":\"" + "x".repeat(20_000) + "\"}}";
        assertEquals(413, api.postJson("/api/v1/devices", admin, big).status());
    }

    @Test
    void aDeviceToken_readsAndActivatesItself_butNotOthers_andIsNoAdmin() {
        String token = api.postJson("/api/v1/devices", admin, "{\"id\":\"fan-1\"}").json().get("token").asText();
        api.postJson("/api/v1/devices", admin, "{\"id\":\"fan-2\"}");
        assertEquals(200, api.get("/api/v1/devices/fan-1", token).status());
        assertEquals(403, api.get("/api/v1/devices/fan-2", token).status());
        assertEquals(403, api.get("/api/v1/devices", token).status());
        Api.Res act = api.postJson("/api/v1/devices/fan-1/activate", token, "");
        assertEquals("ACTIVE", act.json().get("state").asText());
        assertEquals(204, api.postJson("/api/v1/devices/fan-1/status", token,
                "{\"firmware\":\"2.0.1\",\"rollout\":{\"model\":\"m\",\"version\":1,\"state\":\"verified\"}}")
                .status());
        Api.Res badStatus = api.postJson("/api/v1/devices/fan-1/status", token,
                "{\"rollout\":{\"state\":\"exploded\"}}");
        assertEquals(400, badStatus.status());
        assertTrue(badStatus.json().get("message").asText().startsWith("rollout.state"));
        assertEquals("2.0.1", api.get("/api/v1/devices/fan-1", admin).json().get("firmwareVersion").asText());
        assertEquals(403, api.get("/api/v1/devices/fan-1", "fan-1.wrongsecret").status());
    }

    @Test
    void upload_signsAndRecordsEverything_andTheVerifyEndpointAgrees() throws Exception {
        byte[] m = model(3000, 1);
        JsonNode v = upload("bearing", m, META, null);
        assertEquals(1, v.get("version").asInt());
        assertEquals(sha256(m), v.get("sha256").asText());
        assertEquals(3000, v.get("size").asInt());
        assertEquals("tflite", v.get("format").asText());
        assertEquals("current_rms", v.get("inputSchema").get("features").get(0).asText());
        assertEquals(0.97, v.get("metrics").get("accuracy").asDouble());
        assertEquals("r-1", v.get("lineage").get("pipelineRun").asText());
        assertNotNull(v.get("signature").asText());
        JsonNode check = api.get("/api/v1/models/bearing/versions/1/verify", admin).json();
        assertTrue(check.get("ok").asBoolean(), check.toString());
        assertEquals(2, upload("bearing", model(10, 2), META, null).get("version").asInt());
    }

    @Test
    void upload_refusesMissingSchema_badFields_andOversizeWith413() {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("file", model(100, 3));
        parts.put("metadata", "{\"tags\":{}}");
        Api.Res r = api.postMultipart("/api/v1/models/x/versions", admin, parts);
        assertEquals(400, r.status());
        assertTrue(r.json().get("message").asText().startsWith("inputSchema"), r.text());
        parts.put("metadata", "{\"inputSchema\":{\"features\":[\"a\",\"a\"]}}");
        assertTrue(api.postMultipart("/api/v1/models/x/versions", admin, parts).json().get("message").asText()
                .startsWith("inputSchema.features[1]"));
        parts.put("metadata", META);
        assertEquals(400, api.postMultipart("/api/v1/models/Bad%20Name/versions", admin, parts).status());
        assertEquals(403, api.postMultipart("/api/v1/models/x/versions", "nope", parts).status());
        assertEquals(401, api.postMultipart("/api/v1/models/x/versions", null, parts).status());
        parts.put("file", model(200_000, 4));
        assertEquals(413, api.postMultipart("/api/v1/models/x/versions", admin, parts).status());
        assertEquals(404, api.get("/api/v1/models/x/versions", admin).status(), "nothing was stored");
    }

    @Test
    void otaDownload_full_etag304_andRangeResume_giveTheIdenticalFile() throws Exception {
        byte[] m = model(50_000, 5);
        upload("ota", m, META, "champion");
        String path = "/api/v1/models/ota/versions/champion/download";
        Api.Res full = api.get(path, admin);
        assertEquals(200, full.status());
        assertEquals("50000", full.header("Content-Length"));
        assertArrayEquals(m, full.body());
        String etag = full.header("ETag");
        assertEquals("\"" + sha256(m) + "\"", etag);
        assertEquals(304, api.send(api.request(path, admin).header("If-None-Match", etag)).status());

        // an interrupted download: the first 12345 bytes, then resume from there
        Api.Res head = api.send(api.request(path, admin).header("Range", "bytes=0-12344"));
        assertEquals(206, head.status());
        assertEquals("bytes 0-12344/50000", head.header("Content-Range"));
        Api.Res rest = api.send(api.request(path, admin).header("Range", "bytes=12345-").header("If-Range", etag));
        assertEquals(206, rest.status());
        byte[] joined = new byte[m.length];
        System.arraycopy(head.body(), 0, joined, 0, head.body().length);
        System.arraycopy(rest.body(), 0, joined, head.body().length, rest.body().length);
        assertEquals(sha256(m), sha256(joined));
        assertEquals(416, api.send(api.request(path, admin).header("Range", "bytes=60000-")).status());
        assertEquals(401, api.get(path, null).status());
        assertEquals(404, api.get("/api/v1/models/ota/versions/9/download", admin).status());
    }

    @Test
    void aFlippedByteInAStoredModel_isNotServed_andFailsVerification() throws Exception {
        byte[] m = model(4096, 6);
        JsonNode v = upload("tamper", m, META, null);
        String sha = v.get("sha256").asText();
        Path blob = dir.resolve("models/blobs").resolve(sha.substring(0, 2)).resolve(sha);
        byte[] stored = Files.readAllBytes(blob);
        stored[100] ^= 0x01;
        Files.write(blob, stored);
        Files.setLastModifiedTime(blob, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(500, api.get("/api/v1/models/tamper/versions/1/download", admin).status());
        JsonNode check = api.get("/api/v1/models/tamper/versions/1/verify", admin).json();
        assertFalse(check.get("fileIntact").asBoolean());
        assertTrue(check.get("signatureValid").asBoolean());
    }

    @Test
    void aliases_keepHistory_movePrevious_andTheChampionCannotBeDeleted() {
        upload("alias", model(64, 7), META, "champion");
        upload("alias", model(64, 8), META, "candidate");
        Api.Res promote = api.putJson("/api/v1/models/alias/aliases/champion", admin,
                "{\"version\":2,\"reason\":\"better\"}");
        assertEquals(200, promote.status(), promote.text());
        JsonNode a = api.get("/api/v1/models/alias/aliases", admin).json();
        assertEquals(2, a.get("aliases").get("champion").asInt());
        assertEquals(1, a.get("aliases").get("previous").asInt());
        assertTrue(a.get("aliases").get("candidate") == null, "the promoted candidate is no longer a candidate");
        assertEquals(5, a.get("history").size(), a.toString()); // champion, candidate, then champion+previous+candidate at once
        assertEquals("admin", a.get("history").get(2).get("changedBy").asText());
        assertEquals(409, api.delete("/api/v1/models/alias/versions/2", admin).status());
        assertEquals(204, api.delete("/api/v1/models/alias/versions/1", admin).status());
        assertEquals(400, api.putJson("/api/v1/models/alias/aliases/best", admin, "{\"version\":2}").status());
        assertTrue(api.putJson("/api/v1/models/alias/aliases/champion", admin, "{\"version\":\"two\"}").json()
                .get("message").asText().startsWith("version"));
        assertEquals(404, api.putJson("/api/v1/models/alias/aliases/champion", admin, "{\"version\":9}").status());
    }

    @Test
    void aModelThatDoesNotLoad_orDoesNotFitItsSchema_cannotGetAnAlias() {
        byte[] whole = io.aiotedge.support.Models.servable(2, 0, 13);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("file", truncated);
        parts.put("metadata", META);
        Api.Res r = api.postMultipart("/api/v1/models/broken/versions?alias=champion", admin, parts);
        assertEquals(409, r.status(), r.text());
        assertTrue(r.json().get("message").asText().contains("cannot be made champion: it does not load"), r.text());
        assertEquals(409, api.putJson("/api/v1/models/broken/aliases/candidate", admin, "{\"version\":1}").status());
        parts.put("file", whole);
        parts.put("metadata", "{\"inputSchema\":{\"features\":[\"a\",\"b\",\"c\"]}}");
        Api.Res misfit = api.postMultipart("/api/v1/models/broken/versions?alias=champion", admin, parts);
        assertEquals(409, misfit.status(), misfit.text());
        assertTrue(misfit.json().get("message").asText().contains("its schema lists 3 features"), misfit.text());
        assertEquals(0, api.get("/api/v1/models/broken/aliases", admin).json().get("aliases").size(),
                "registry and fleet agree: no alias names a model that will not load");
    }

    @Test
    void theSigningKey_isPublic_andVerifiesEveryVersionSignature() throws Exception {
        JsonNode v = upload("sig", model(128, 9), META, null);
        JsonNode key = api.get("/api/v1/signing-key", null).json();
        assertEquals("Ed25519", key.get("algorithm").asText());
        java.security.PublicKey pk = io.aiotedge.models.ModelSigner.parsePublicKey(key.get("publicKey").asText());
        byte[] statement = io.aiotedge.models.ModelSigner.statement("sig", 1, v.get("sha256").asText(),
                v.get("size").asLong());
        assertTrue(io.aiotedge.models.ModelSigner.verify(pk, statement, v.get("signature").asText()));
        byte[] sig = java.util.Base64.getDecoder().decode(v.get("signature").asText());
        sig[10] ^= 0x40;
        assertFalse(io.aiotedge.models.ModelSigner.verify(pk, statement,
                java.util.Base64.getEncoder().encodeToString(sig)));
    }

    @Test
    void openApi_listsEveryRouteTheServerHas() throws Exception {
        JsonNode doc = api.get("/openapi.json", null).json();
        assertEquals("3.0.3", doc.get("openapi").asText());
        for (String route : RouteList.fromSources()) {
            String[] mp = route.split(" ", 2);
            JsonNode p = doc.get("paths").get(mp[1]);
            assertNotNull(p, "openapi.json lacks path " + mp[1]);
            assertNotNull(p.get(mp[0].toLowerCase(java.util.Locale.ROOT)), "openapi.json lacks " + route);
        }
    }

    @Test
    void datastoreQuery_refusesBadParameters() {
        assertEquals(400, api.get("/api/v1/datastore/rows?from=abc", admin).status());
        assertTrue(api.get("/api/v1/datastore/rows?from=10&to=5", admin).json().get("message").asText()
                .startsWith("from"));
        assertEquals(400, api.get("/api/v1/datastore/rows?format=xml", admin).status());
        assertEquals(401, api.get("/api/v1/datastore/rows", null).status());
        assertEquals(200, api.get("/api/v1/datastore/stats", admin).status());
    }
}
