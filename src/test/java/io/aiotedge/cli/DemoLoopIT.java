package io.aiotedge.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.support.Browser;
import io.aiotedge.support.JvmEnv;
import io.aiotedge.support.MemoryCgroup;
import io.aiotedge.support.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's closed loop, as a user runs it (the JAR, embedded Kafka): simulated motors develop
 * faults, the datastore fills with labelled telemetry, the scheduled pipeline trains and ships the
 * first champion, and a faulty motor gets a servo command on its own control topic; when the
 * motors change regime (heavier load, shortened here to ~80 s in), the next scheduled run finds
 * the drift, retrains, and ships a second champion that the inference role then serves. In
 * between, the operator's console is walked through in a real browser ({@link ConsoleWalkthrough}).
 */
class DemoLoopIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void demo_shipsAGoodFirstModel_aFaultyMotorReceivesAServoCommand_andARegimeChangeShipsARetrainedModel()
            throws Exception {
        Path data = tmp.resolve("demo");
        // the demo's budget (docs/operations.md): the platform profile's shipped flags inside a 1 GiB group
        JvmEnv.Profile profile = JvmEnv.load().profile("platform");
        long t0 = System.nanoTime();
        try (MemoryCgroup group = MemoryCgroup.create("demo", profile.limitBytes());
                NodeProcess node = NodeProcess.start(data, profile, group, List.of(), "demo", "--data-dir",
                        data.toString(), "--set", "mqtt.port=0", "--set", "http.port=0", "--set", "kafka.port=0",
                        "--set", "simulator.regimeChangeSeconds=3")) {
            JsonNode rt = node.awaitRuntime(Duration.ofSeconds(120));
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            int http = rt.path("ports").path("http").asInt();
            // motor-002 develops bearing wear: its simulated actuator logs what reaches its control topic
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> node.log()
                            .contains("Simulated actuator on aiot/v1/things/motor-002/control received"));
            String log = node.log();
            int at = log.indexOf("Simulated actuator on aiot/v1/things/motor-002/control received: ");
            assertTrue(at >= 0, "no servo command reached motor-002 within 4 minutes:\n" + log);
            String line = log.substring(at, log.indexOf('\n', at));
            JsonNode cmd = JSON.readTree(line.substring(line.indexOf('{')));
            assertEquals("servo", cmd.get("command").asText());
            assertEquals("motor-002", cmd.get("deviceId").asText());

            String token = Files.readString(data.resolve("keys/admin-token")).trim();
            JsonNode first = shipped(http, token, 1);
            assertTrue(first != null, "no run shipped v1");
            assertTrue(stage(first, "evaluate").get("accuracy").asDouble() >= 0.95, "first champion: " + first);
            // the operator's console in Debian's Chromium, while the regime change builds up
            long c0 = System.nanoTime();
            if (Browser.available()) {
                try (Browser browser = Browser.start(tmp)) {
                    new ConsoleWalkthrough(browser, http, token).run(node.log(), 4);
                }
                System.out.printf(Locale.ROOT, "console walkthrough: %.1f s%n", (System.nanoTime() - c0) / 1e9);
            } else {
                System.out.println("console walkthrough skipped: no /usr/bin/chromium or /usr/bin/chromedriver");
            }

            // the regime change: the next scheduled run compares with v1's reference, retrains, ships v2
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> shipped(http, token, 2) != null);
            JsonNode second = shipped(http, token, 2);
            JsonNode drift = stage(second, "drift");
            assertTrue(drift.get("drifted").asBoolean() && drift.has("maxPsi"),
                    "drift against v1's reference: " + drift);
            assertEquals("champion", stage(second, "promote").get("alias").asText(), second.toString());
            if (Browser.available()) {
                try (Browser browser = Browser.start(tmp)) {
                    new ConsoleWalkthrough(browser, http, token).driftBars();
                }
            }
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(http, token, "/api/v1/conditions").path("model").path("version").asInt() == 2);
            assertTrue(node.log().contains("motors OK"), "the live summary is printed");
            // two trainings, embedded Kafka, broker and simulator later: not OOM-killed, ready, under the limit
            MemoryCgroup.Usage u = group.usage(node.pid());
            MemoryCgroup.report(u.describe("demo (platform, embedded Kafka)")
                    + String.format(Locale.ROOT, " start=%.1fs", startSeconds));
            assertEquals(0, u.oomKills(), u.describe("demo"));
            assertEquals(200, node.get("/health/ready").statusCode());
            assertTrue(u.peakRssBytes() > 0 && u.peakRssBytes() < profile.limitBytes(), u.describe("demo"));
            assertEquals(0, node.terminate(Duration.ofSeconds(30)), node.log());
        }
    }

    /** The succeeded run that registered {@code version}, or null. */
    private static JsonNode shipped(int http, String token, int version) throws Exception {
        for (JsonNode r : get(http, token, "/api/v1/pipeline/runs").get("runs")) {
            if (r.get("status").asText().equals("succeeded") && r.path("modelVersion").asInt() == version) {
                return r;
            }
        }
        return null;
    }

    private static JsonNode stage(JsonNode run, String name) {
        for (JsonNode s : run.get("stages")) {
            if (s.get("name").asText().equals(name)) {
                return s.get("metrics");
            }
        }
        throw new AssertionError("no stage " + name + " in " + run);
    }

    private static JsonNode get(int http, String token, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + http + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
