package io.aiotedge.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.support.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's closed loop, as a user runs it (the JAR, embedded Kafka): simulated motors develop
 * faults, the datastore fills with labelled telemetry, the scheduled pipeline trains and ships the
 * first champion, and a faulty motor gets a servo command on its own control topic.
 */
class DemoLoopIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void demo_trainsAndShipsAGoodFirstModel_andAFaultyMotorReceivesAServoCommand() throws Exception {
        Path data = tmp.resolve("demo");
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx512m"), "demo", "--data-dir", data.toString(),
                "--set", "mqtt.port=0", "--set", "http.port=0", "--set", "kafka.port=0")) {
            JsonNode rt = node.awaitRuntime(Duration.ofSeconds(120));
            int http = rt.path("ports").path("http").asInt();
            // motor-002 develops bearing wear: its simulated actuator logs what reaches its control topic
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> node.log().contains("Simulated actuator on aiot/v1/things/motor-002/control received"));
            String log = node.log();
            int at = log.indexOf("Simulated actuator on aiot/v1/things/motor-002/control received: ");
            assertTrue(at >= 0, "no servo command reached motor-002 within 4 minutes:\n" + log);
            String line = log.substring(at, log.indexOf('\n', at));
            JsonNode cmd = JSON.readTree(line.substring(line.indexOf('{')));
            assertEquals("servo", cmd.get("command").asText());
            assertEquals("motor-002", cmd.get("deviceId").asText());

            String token = Files.readString(data.resolve("keys/admin-token")).trim();
            HttpResponse<String> runs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + http + "/api/v1/pipeline/runs"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode first = null;
            for (JsonNode r : JSON.readTree(runs.body()).get("runs")) {
                if (r.get("status").asText().equals("succeeded")) {
                    first = r; // newest first: the last one seen is the first that shipped
                }
            }
            assertTrue(first != null, runs.body());
            JsonNode eval = null;
            for (JsonNode s : first.get("stages")) {
                if (s.get("name").asText().equals("evaluate")) {
                    eval = s.get("metrics");
                }
            }
            assertTrue(eval.get("accuracy").asDouble() >= 0.95, "first champion: " + eval);
            assertTrue(node.log().contains("motors OK"), "the live summary is printed");
            assertEquals(0, node.terminate(Duration.ofSeconds(30)), node.log());
        }
    }
}
