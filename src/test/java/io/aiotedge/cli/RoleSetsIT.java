package io.aiotedge.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.aiotedge.support.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every role and every documented role combination starts on the built-in defaults, as a new
 * user would run it with no config (only the ports moved to free ones so tests do not collide):
 * the node's own clients (inference, gateway) log in to its broker as the per-start internal
 * service user, not anonymously. The inference role alone needs a remote platform and is refused
 * at startup naming the keys (InferenceNodeIT). The platform alone is CliIT's
 * runPlatform_becomesReady_thenSigtermStopsCleanlyWithExitZero, which checks the same and more.
 */
class RoleSetsIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"things-gateway", "platform,inference", "platform,things-gateway",
            "platform,inference,things-gateway"})
    @Timeout(180)
    void run_onDefaults_becomesReady_andStopsCleanly(String roles) throws Exception {
        Path data = tmp.resolve(roles.replace(',', '_'));
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx512m"), "run", "--role", roles, "--data-dir",
                data.toString(), "--set", "mqtt.port=0", "--set", "http.port=0", "--set", "kafka.port=0")) {
            node.awaitRuntime(Duration.ofSeconds(90));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !node.alive() || node.get("/health/ready").statusCode() == 200);
            assertEquals(200, node.get("/health/ready").statusCode(), node.log());
            assertFalse(node.log().contains("not authorized"), node.log());
            assertEquals(0, node.terminate(Duration.ofSeconds(30)), node.log());
        }
    }
}
