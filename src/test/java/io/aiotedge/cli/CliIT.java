package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operational contract (docs/architecture.md, docs/operations.md), exercised on the shaded JAR
 * as a child process.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliIT {
    @TempDir
    Path tmp;

    @Test
    void runPlatform_becomesReady_thenSigtermStopsCleanlyWithExitZero() throws Exception {
        Path data = tmp.resolve("node");
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx256m"), "run", "--role", "platform",
                "--data-dir", data.toString(), "--set", "mqtt.port=0", "--set", "http.port=0", "--set",
                "kafka.port=0")) {
            JsonNode rt = node.awaitRuntime(Duration.ofSeconds(90));
            assertEquals(node.pid(), rt.path("pid").asLong());
            assertEquals("platform", rt.path("roles").get(0).asText());
            assertTrue(rt.path("ports").path("mqtt").asInt() > 0);
            assertTrue(rt.path("ports").path("kafka").asInt() > 0, "the embedded Kafka broker is part of platform");
            assertTrue(rt.path("ports").path("http").asInt() > 0);

            var ready = node.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode health = new ObjectMapper().readTree(ready.body());
            assertEquals("UP", health.path("components").path("broker").path("status").asText());
            assertEquals("UP", health.path("components").path("kafka").path("status").asText());
            assertEquals(200, node.get("/health/live").statusCode());
            var metrics = node.get("/metrics");
            assertTrue(metrics.body().contains("aiot_mqtt_connections"), "broker metrics are exported");
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM metrics are exported");
            for (String documented : io.aiotedge.docs.DocsExamplesTest.documentedMetrics()) {
                assertTrue(metrics.body().contains(documented),
                        documented + " is documented in docs/ but not exported");
            }
            assertTrue(node.log().contains("Effective configuration"), "the effective config is logged once");
            assertFalse(node.log().contains("not authorized"), "its own clients log in (RoleSetsIT's other sets)");

            assertEquals(0, node.terminate(Duration.ofSeconds(30)), node.log());
            assertFalse(Files.exists(data.resolve("runtime.json")), "runtime.json is removed on a clean stop");
            String log = node.log();
            assertTrue(log.indexOf("Stopped broker") < log.indexOf("Stopped kafka")
                    && log.indexOf("Stopped kafka") < log.indexOf("Stopped http"), "stopped in reverse order:\n" + log);
        }
    }

    @Test
    void demo_allRolesAnonymousDevicesConfinedToTheirOwnTopics() throws Exception {
        Path data = tmp.resolve("demo");
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx512m"), "demo", "--data-dir", data.toString(),
                "--set", "mqtt.port=0", "--set", "http.port=0", "--set", "kafka.mode=off")) {
            JsonNode rt = node.awaitRuntime(Duration.ofSeconds(90));
            List<String> roles = new java.util.ArrayList<>();
            rt.path("roles").forEach(r -> roles.add(r.asText()));
            assertEquals(List.of("inference", "platform", "things-gateway"), roles);
            int port = rt.path("ports").path("mqtt").asInt();
            var device = com.hivemq.client.mqtt.mqtt5.Mqtt5Client.builder().identifier("sim-motor-1")
                    .serverHost("127.0.0.1").serverPort(port).buildBlocking();
            device.connect();
            device.publishWith().topic("aiot/v1/things/sim-motor-1/telemetry")
                    .qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
                    .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
            var denied = org.junit.jupiter.api.Assertions.assertThrows(
                    com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class,
                    () -> device.subscribeWith().topicFilter("aiot/v1/things/+/control").send());
            assertEquals(0x87, denied.getMqttMessage().getReasonCodes().get(0).getCode());
            device.disconnect();
            assertTrue(node.log().contains("Health:  http://localhost:" + rt.path("ports").path("http").asInt()),
                    "demo prints its URLs with the bound ports");
            assertEquals(0, node.terminate(Duration.ofSeconds(30)));
        }
    }

    @Test
    void run_invalidConfig_exitsTwoListingEveryProblemByKey() throws Exception {
        Proc.Result r = NodeProcess.run(60, "run", "--role", "platform", "--data-dir", tmp.toString(),
                "--set", "mqtt.port=abc", "--set", "kafka.mode=sometimes", "--set", "http.port=99999");
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        String err = r.stderr();
        assertTrue(err.contains("Invalid configuration (3 problems)"), err);
        assertTrue(err.contains("mqtt.port:") && err.contains("kafka.mode:") && err.contains("http.port:"), err);
    }

    @Test
    void run_unknownRole_exitsTwo() throws Exception {
        Proc.Result r = NodeProcess.run(60, "run", "--role", "platform,cloud");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("unknown role 'cloud'"), r.stderr());
    }

    @Test
    void run_withoutRole_exitsTwo() throws Exception {
        assertEquals(2, NodeProcess.run(60, "run").exitCode());
    }

    @Test
    void run_mqttPortTaken_exitsOneAndReleasesWhatStarted() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path data = tmp.resolve("busy");
            Proc.Result r = NodeProcess.run(120, "run", "--role", "platform", "--data-dir", data.toString(),
                    "--set", "mqtt.bindAddress=127.0.0.1", "--set", "mqtt.port=" + taken.getLocalPort(),
                    "--set", "http.port=0", "--set", "kafka.mode=off");
            assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
            assertTrue(r.stderr().contains("broker"), r.stderr());
            assertTrue(r.stderr().contains("Stopped http"), "the HTTP server started first is stopped again");
            assertFalse(Files.exists(data.resolve("runtime.json")));
        }
    }

    /** The JAR's own entry point; every command's --help and --version is CommandTreeTest's, in-process. */
    @Test
    void jar_answersHelpAndVersion() throws Exception {
        Proc.Result help = NodeProcess.run(60, "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("Usage: aiot-edge"), help.stdout());
        Proc.Result version = NodeProcess.run(60, "run", "--version");
        assertEquals(0, version.exitCode(), version.stderr());
        assertTrue(version.stdout().startsWith("aiot-edge 0."), version.stdout());
    }

    @Test
    void configCheck_validConfig_printsRedactedEffectiveValues() throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, "mqtt:\n  tls:\n    keystorePassword: hunter2\n  prot: 1\n");
        Proc.Result r = NodeProcess.run(60, "config", "check", "--config", f.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("mqtt.tls.keystorePassword = ******"), r.stdout());
        assertFalse(r.stdout().contains("hunter2"));
        assertTrue(r.stderr().contains("unknown key 'mqtt.prot'"), r.stderr());
    }

    @Test
    void usersHash_fromStdin_printsAHashThatVerifies() throws Exception {
        List<String> cmd = NodeProcess.java();
        cmd.addAll(List.of("-jar", NodeProcess.jar().toString(), "users", "hash", "--password-stdin"));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().write("correct horse\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String hash = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue());
        assertTrue(PasswordHasher.verify("correct horse".toCharArray(), hash), hash);
    }
}
