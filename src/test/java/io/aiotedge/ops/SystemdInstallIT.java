package io.aiotedge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd unit and the install script. */
class SystemdInstallIT {
    @TempDir
    Path tmp;

    @Test
    void unit_passesSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Proc.available("systemd-analyze"), "systemd-analyze is not installed (Debian package systemd)");
        Proc.Result r = Proc.run(60, List.of("systemd-analyze", "verify", "scripts/aiot-edge.service"));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("", r.stderr().trim(), "verify printed warnings");
    }

    @Test
    void unit_hasTheOperationalContract() throws Exception {
        String unit = Files.readString(Path.of("scripts/aiot-edge.service"));
        for (String line : List.of("User=aiot-edge", "Restart=on-failure", "-XX:+ExitOnOutOfMemoryError",
                "EnvironmentFile=/etc/aiot-edge/aiot-edge.env", "--role ${AIOT_ROLES}", "StateDirectory=aiot-edge",
                "--data-dir /var/lib/aiot-edge", "KillSignal=SIGTERM")) {
            assertTrue(unit.contains(line), "unit lacks " + line);
        }
    }

    @Test
    void installScript_intoRoot_isIdempotentAndKeepsEditedConfig() throws Exception {
        List<String> cmd = List.of("bash", "scripts/install.sh", "--jar", NodeProcess.jar().toString(), "--root",
                tmp.toString());
        Proc.Result first = Proc.run(60, cmd);
        assertEquals(0, first.exitCode(), first.stderr());
        Path env = tmp.resolve("etc/aiot-edge/aiot-edge.env");
        assertTrue(Files.isRegularFile(tmp.resolve("opt/aiot-edge/aiot-edge.jar")));
        assertTrue(Files.isRegularFile(tmp.resolve("etc/systemd/system/aiot-edge.service")));
        assertTrue(Files.readString(env).contains("AIOT_ROLES=platform"));
        Files.writeString(env, "AIOT_ROLES=inference\n");

        Proc.Result second = Proc.run(60, cmd);
        assertEquals(0, second.exitCode(), second.stderr());
        assertEquals("AIOT_ROLES=inference\n", Files.readString(env), "an operator's edits survive a reinstall");
        Proc.Result check = NodeProcess.run(60, "config", "check", "--config",
                tmp.resolve("etc/aiot-edge/aiot-edge.yaml").toString());
        assertEquals(0, check.exitCode(), "the installed config is valid as shipped: " + check.stderr());
    }
}
