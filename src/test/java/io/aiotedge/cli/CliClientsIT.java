package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's registry clients against a running platform process, found through its data dir. */
class CliClientsIT {
    @TempDir
    Path tmp;

    @Test
    void devicesAndModelsCommands_drivetheRegistry_andVerifyCatchesATamperedFile() throws Exception {
        Path data = tmp.resolve("node");
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx256m"), "run", "--role", "platform",
                "--data-dir", data.toString(), "--set", "mqtt.port=0", "--set", "http.port=0", "--set",
                "kafka.mode=off")) {
            node.awaitRuntime(Duration.ofSeconds(90));
            String d = data.toString();
            Proc.Result prov = NodeProcess.run(60, "devices", "provision", "cli-pump", "--type", "pump", "--meta",
                    "line=C",
                    "--data-dir", d);
            assertEquals(0, prov.exitCode(), prov.stderr());
            JsonNode p = new ObjectMapper().readTree(prov.stdout());
            assertTrue(p.path("token").asText().startsWith("cli-pump."));
            assertTrue(NodeProcess.run(60, "devices", "list", "--data-dir", d).stdout().contains("cli-pump"));

            Path model = tmp.resolve("m.tflite");
            Files.write(model, io.aiotedge.support.Models.servable(1, 64, 3));
            Proc.Result up = NodeProcess.run(60, "models", "upload", "motor", model.toString(), "--metadata",
                    "{\"inputSchema\":{\"features\":[\"a\"]}}", "--data-dir", d);
            assertEquals(0, up.exitCode(), up.stderr());
            // uploaded by hand: no training-set hash to re-check, which is "cannot tell" (4), not a mismatch (3)
            Proc.Result lineage = NodeProcess.run(60, "models", "lineage", "verify", "motor", "1", "--data-dir", d);
            assertEquals(4, lineage.exitCode(), lineage.stdout() + lineage.stderr());
            assertTrue(lineage.stdout().startsWith("UNKNOWN  motor v1: motor v1 records no training-set hash"),
                    lineage.stdout());
            Proc.Result noVersion = NodeProcess.run(60, "models", "lineage", "verify", "motor", "7", "--data-dir", d);
            assertEquals(1, noVersion.exitCode());
            assertTrue(noVersion.stderr().contains("HTTP 404: model motor v7 not found"), noVersion.stderr());
            Proc.Result promote = NodeProcess.run(60, "models", "promote", "motor", "1", "--reason", "first",
                    "--data-dir", d);
            assertTrue(promote.stdout().contains("\"champion\":1"), promote.stdout());
            assertTrue(NodeProcess.run(60, "models", "list", "motor", "--data-dir", d).stdout()
                    .contains("[\"champion\"]"));
            String key = NodeProcess.run(60, "models", "pubkey", "--data-dir", d).stdout().trim();
            assertEquals(44, key.length(), "32 raw bytes in base64");

            Proc.Result ok = NodeProcess.run(60, "models", "verify", model.toString(), "--data-dir", d);
            assertEquals(0, ok.exitCode(), ok.stdout() + ok.stderr());
            assertTrue(ok.stdout().contains("VALID   motor v1"));
            Files.write(model, new byte[] {0, 0, 0, 0, 'T', 'F', 'L', '3', 1, 2, 4});
            Proc.Result bad = NodeProcess.run(60, "models", "verify", model.toString(), "--data-dir", d);
            assertEquals(1, bad.exitCode());
            assertTrue(bad.stderr().contains("HTTP 404"), bad.stderr());

            Proc.Result revokeUnknown = NodeProcess.run(60, "devices", "revoke", "nobody", "--data-dir", d);
            assertEquals(1, revokeUnknown.exitCode());
            assertTrue(revokeUnknown.stderr().contains("Failed: HTTP 404: device nobody not found"),
                    revokeUnknown.stderr());
            // an id is one path segment: the platform is asked about device "cli-pump/x/..", not another path
            Proc.Result dotted = NodeProcess.run(60, "devices", "revoke", "cli-pump/x/..", "--data-dir", d);
            assertEquals(1, dotted.exitCode(), dotted.stdout());
            assertTrue(dotted.stderr().contains("Failed: HTTP 404: device cli-pump/x/.. not found"), dotted.stderr());
            String before = NodeProcess.run(60, "devices", "list", "--data-dir", d).stdout();
            assertTrue(before.lines().anyMatch(l -> l.startsWith("cli-pump ") && !l.contains("revoked")), before);
            assertEquals(0, NodeProcess.run(60, "devices", "revoke", "cli-pump", "--data-dir", d).exitCode());
            Proc.Result wrongToken = NodeProcess.run(60, "devices", "list", "--data-dir", d, "--token", "x".repeat(20));
            assertTrue(wrongToken.stderr().contains("HTTP 403"), wrongToken.stderr());
        }
    }
}
