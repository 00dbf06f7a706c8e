package io.aiotedge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.support.JvmEnv;
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

    /** The unit as installed, its launcher path pointed into the temp root (verify checks it is executable). */
    @Test
    void unit_passesSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Proc.available("systemd-analyze"), "systemd-analyze is not installed (Debian package systemd)");
        install();
        Path unit = tmp.resolve("aiot-edge.service");
        Files.writeString(unit, Files.readString(Path.of("scripts/aiot-edge.service"))
                .replace("ExecStart=/opt/aiot-edge/bin/aiot-edge",
                        "ExecStart=" + tmp.resolve("opt/aiot-edge/bin/aiot-edge")));
        Proc.Result r = Proc.run(60, List.of("systemd-analyze", "verify", unit.toString()));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("", r.stderr().trim(), "verify printed warnings");
    }

    @Test
    void unit_hasTheOperationalContract() throws Exception {
        String unit = Files.readString(Path.of("scripts/aiot-edge.service"));
        for (String line : List.of("User=aiot-edge", "Restart=on-failure",
                "Environment=AIOT_JVM_ENV=/etc/aiot-edge/jvm.env AIOT_JAR=/opt/aiot-edge/aiot-edge.jar",
                "ExecStart=/opt/aiot-edge/bin/aiot-edge run", "EnvironmentFile=/etc/aiot-edge/aiot-edge.env",
                "--role ${AIOT_ROLES}", "StateDirectory=aiot-edge", "--data-dir /var/lib/aiot-edge",
                "KillSignal=SIGTERM")) {
            assertTrue(unit.contains(line), "unit lacks " + line);
        }
        // the launcher's flags, not the unit's: every profile exits on OOM and is restarted
        assertTrue(JvmEnv.load().profile("inference").flags().contains("-XX:+ExitOnOutOfMemoryError"));
        String env = Files.readString(Path.of("scripts/aiot-edge.env"));
        assertTrue(env.lines().noneMatch(l -> l.startsWith("AIOT_JAVA_OPTS=")), "heap flags live in jvm.env:\n" + env);
    }

    @Test
    void installScript_writesTheProfilesMemoryMax_fromRolesOrProfile() throws Exception {
        install();
        Path dropIn = tmp.resolve("etc/systemd/system/aiot-edge.service.d/50-memory.conf");
        assertTrue(Files.readString(dropIn).endsWith("[Service]\nMemoryMax=1G\n"), Files.readString(dropIn));
        Files.writeString(tmp.resolve("etc/aiot-edge/aiot-edge.env"), "AIOT_ROLES=inference,things-gateway\n");
        install();
        assertTrue(Files.readString(dropIn).endsWith("MemoryMax=384M\n"), Files.readString(dropIn));
        Proc.Result r = Proc.run(60, List.of("bash", "scripts/install.sh", "--jar", NodeProcess.jar().toString(),
                "--root", tmp.toString(), "--profile", "platform-external"));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(Files.readString(dropIn).endsWith("MemoryMax=640M\n"), Files.readString(dropIn));
        assertEquals(Files.readString(JvmEnv.FILE), Files.readString(tmp.resolve("etc/aiot-edge/jvm.env")));
        assertTrue(Files.isExecutable(tmp.resolve("opt/aiot-edge/bin/aiot-edge")));
    }

    private void install() throws Exception {
        Proc.Result r = Proc.run(60, List.of("bash", "scripts/install.sh", "--jar", NodeProcess.jar().toString(),
                "--root", tmp.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
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
