package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Health;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.devices.NodeTokens;
import io.aiotedge.http.HttpComponent;
import io.aiotedge.models.Announcer;
import io.aiotedge.models.ModelMetadata;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.RolloutController;
import io.aiotedge.storage.Backups;
import io.aiotedge.storage.Database;
import io.aiotedge.support.Models;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollouts API and the node report route on a real HTTP server, registry and H2, in-process:
 * the admin starts, shows, pauses and aborts a rollout; a node reports with its own token only,
 * and a forged, malformed or oversized report gets a precise refusal.
 */
class RolloutsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-token-for-the-rollouts-test";

    @TempDir
    Path dir;
    private final BoundPorts ports = new BoundPorts();
    private final HttpClient client = HttpClient.newHttpClient();
    private Database db;
    private DeviceRegistry devices;
    private ModelRegistry models;
    private RolloutController rollouts;
    private HttpComponent http;
    private PlatformApi api;
    private String nodeA;
    private String nodeB;

    @BeforeEach
    void start() throws Exception {
        NodeConfig config = new ConfigLoader(k -> null).load(null, List.of("api.adminToken=" + ADMIN,
                "rollout.canary.devices=[motor-001]", "rollout.canary.minutes=30")).config();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        db = new Database(dir, 2);
        devices = new DeviceRegistry(db::dataSource, () -> null, new PasswordHasher(), Clock.systemUTC(), meters);
        models = new ModelRegistry(db::dataSource, dir, new Announcer(() -> null, null, false, false, false),
                () -> "http://localhost:1", Clock.systemUTC(), 1 << 20, (b, n) -> Optional.empty(), meters);
        rollouts = new RolloutController(models, db::dataSource, config.rollout(), Clock.systemUTC(), meters,
                alert -> {});
        NodeTokens nodes = new NodeTokens(db::dataSource, Clock.systemUTC());
        api = new PlatformApi(config.platform(), dir, devices, models, new FeatureStore(db::dataSource), null, nodes,
                new Backups(db, dir, Clock.systemUTC()), Clock.systemUTC(), null, rollouts);
        http = new HttpComponent(new io.aiotedge.config.HttpConfig("127.0.0.1", 0, 4L << 20, null, ""), ports,
                () -> Map.of("api", Health.up()),
                () -> "", List.of(api), 1 << 20);
        db.start();
        devices.start();
        models.start();
        rollouts.start();
        http.start();
        api.start();
        nodeA = nodes.provision("node-a", "admin");
        nodeB = nodes.provision("node-b", "admin");
        ModelMetadata meta = ModelMetadata.fromJson(JSON.readTree("{\"inputSchema\":{\"features\":[\"a\",\"b\"]}}"));
        for (int seed = 1; seed <= 2; seed++) {
            models.register("motor", new ByteArrayInputStream(Models.servable(2, 0, seed)), meta, "test");
        }
        models.setAlias("motor", "champion", 1, "test", "first").get();
    }

    @AfterEach
    void stop() {
        api.stop();
        http.stop();
        rollouts.stop();
        models.stop();
        devices.stop();
        db.stop();
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("http") + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("http") + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String report(String rolloutId, String device) {
        return "{\"schemaVersion\":1,\"session\":\"s1\",\"model\":\"motor\",\"serving\":{\"champion\":1,"
                + "\"candidate\":2,\"rolloutId\":\"" + rolloutId + "\",\"stage\":\"canary\",\"candidateState\":"
                + "\"loaded\",\"detail\":\"\",\"loadFailures\":0},\"devices\":[{\"device\":\"" + device + "\","
                + "\"servedBy\":2,\"windows\":40,\"agree\":40}]}";
    }

    @Test
    void adminStartsAndSteersARollout_andNodesReportOnlyAsThemselves() throws Exception {
        HttpResponse<String> started = post("/api/v1/models/motor/rollouts", ADMIN, "{\"version\":2}");
        assertEquals(201, started.statusCode(), started.body());
        JsonNode r = JSON.readTree(started.body());
        String id = r.get("id").asText();
        assertEquals("canary", r.get("stage").asText());
        assertEquals("[\"motor-001\"]", r.get("targeting").get("devices").toString());

        assertEquals(200, post("/api/v1/nodes/node-a/report", nodeA, report(id, "motor-001")).statusCode());
        HttpResponse<String> forged = post("/api/v1/nodes/node-a/report", nodeB, report(id, "motor-001"));
        assertEquals(403, forged.statusCode());
        assertTrue(forged.body().contains("this call needs node node-a's token"), forged.body());
        assertEquals(403, post("/api/v1/nodes/node-a/report", ADMIN, report(id, "motor-001")).statusCode());
        HttpResponse<String> malformed = post("/api/v1/nodes/node-b/report", nodeB, "{\"schemaVersion\":1}");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("session: is required"), malformed.body());
        String huge = report(id, "x".repeat(1024 * 1024));
        assertEquals(413, post("/api/v1/nodes/node-b/report", nodeB, huge).statusCode());
        assertEquals(403, post("/api/v1/models/motor/rollouts", nodeA, "{\"version\":2}").statusCode());

        JsonNode shown = JSON.readTree(get("/api/v1/models/motor/rollouts/" + id, ADMIN).body());
        assertEquals(40, shown.get("evidence").get("shadow").get("windows").asInt());
        assertEquals(1, shown.get("perVersion").get("2").get("devices").asInt());
        assertEquals(1, shown.get("perVersion").get("1").get("nodes").asInt());
        assertEquals(true, JSON.readTree(post("/api/v1/models/motor/rollouts/" + id + "/pause", ADMIN, "")
                .body()).get("paused").asBoolean());
        assertEquals(409, post("/api/v1/models/motor/rollouts/" + id + "/pause", ADMIN, "").statusCode());
        HttpResponse<String> aborted = post("/api/v1/models/motor/rollouts/" + id + "/abort", ADMIN,
                "{\"reason\":\"operator said so\"}");
        assertEquals("aborted", JSON.readTree(aborted.body()).get("stage").asText(), aborted.body());
        assertEquals(List.of(), models.get("motor", 2).aliases());
        assertEquals(404, get("/api/v1/models/motor/rollouts/ro-nope", ADMIN).statusCode());
        assertEquals(1, JSON.readTree(get("/api/v1/models/motor/rollouts", ADMIN).body()).get("rollouts").size());
    }

    @Test
    void anArgoPromoteStep_startsARolloutWhenThePlatformStagesPromotions_likeTheScheduler() throws Exception {
        java.nio.file.Path work = dir.resolve("work");
        java.nio.file.Files.createDirectories(work);
        java.nio.file.Files.writeString(work.resolve("run.json"), "{\"runId\": 7, \"trigger\": \"stage\"}");
        java.nio.file.Files.write(work.resolve("dataset.json"), JSON.writeValueAsBytes(new io.aiotedge.mlops.Dataset(
                List.of("a", "b"), new double[][] {{0, 1}}, new int[] {0})));
        java.nio.file.Files.writeString(work.resolve("champion.json"), "{\"version\": 1, \"recordedAccuracy\": 0.5}");
        java.nio.file.Files.writeString(work.resolve("metrics.json"), "{\"accuracy\": 0.99}");
        java.nio.file.Files.writeString(work.resolve("registered.json"), "{\"version\": 2, \"sha256\": \"ab\"}");
        assertEquals(true, JSON.readTree(get("/api/v1/models/motor/rollouts", ADMIN).body()).get("staged")
                .asBoolean(), "rollout.canary.devices is set");
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = io.aiotedge.cli.AiotEdgeCommand.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        int exit = cli.execute("pipeline", "run", "--stage", "promote", "--work-dir", work.toString(), "--url",
                "http://127.0.0.1:" + ports.get("http"), "--token", ADMIN, "--set", "pipeline.modelName=motor");
        assertEquals(0, exit, out.toString());
        assertEquals("motor v2 in canary: accuracy 0.9900 beats the champion's 0.5000 on the same holdout",
                JSON.readTree(work.resolve("promote.json").toFile()).get("outcome").asText());
        JsonNode rollouts = JSON.readTree(get("/api/v1/models/motor/rollouts", ADMIN).body()).get("rollouts");
        assertEquals(1, rollouts.size());
        assertEquals(List.of("canary", "2"), List.of(rollouts.get(0).get("stage").asText(),
                rollouts.get(0).get("version").asText()));
        assertEquals(1, models.aliases("motor").get("champion"), "the champion stays until the canary holds");
        assertEquals(List.of("candidate"), models.get("motor", 2).aliases());
    }
}
