package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.StorageConfig;
import io.aiotedge.support.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code aiot-edge run} against a PostgreSQL it cannot use: a clear message and an exit code, no stack trace. */
class PostgresStartupIT {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @TempDir
    Path dir;

    private record Run(int exit, String err) {
    }

    private Run run(String... storageSets) {
        List<String> args = new ArrayList<>(List.of("run", "--role", "platform", "--data-dir", dir.toString(), "--set",
                "kafka.mode=off", "--set", "http.port=0", "--set", "mqtt.port=0", "--set",
                "http.bindAddress=127.0.0.1", "--set", "mqtt.bindAddress=127.0.0.1"));
        for (String s : storageSets) {
            args.addAll(List.of("--set", s));
        }
        CommandLine cl = AiotEdgeCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Run(exit, err.toString());
    }

    @Test
    void run_wrongPassword_exits1NamingStorageJdbcUrl_withoutThePasswordOrAStackTrace() throws Exception {
        StorageConfig db = PG.freshDatabase();
        Run r = run("storage.jdbcUrl=" + db.jdbcUrl(), "storage.user=" + db.user(),
                "storage.password=wrong-password-913");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("Startup failed: Cannot open the platform database at storage.jdbcUrl="
                + db.jdbcUrl() + ": "), r.err());
        assertTrue(r.err().contains("password authentication failed for user \"aiot\""), r.err());
        assertFalse(r.err().contains("wrong-password-913"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void run_unreachableServer_exits1WithinTheConnectTimeout() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        Run r = run("storage.jdbcUrl=jdbc:postgresql://127.0.0.1:" + closed + "/aiot", "storage.user=aiot",
                "storage.password=x");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("storage.jdbcUrl=jdbc:postgresql://127.0.0.1:" + closed + "/aiot"), r.err());
        assertTrue(ms < 30_000, "failed in " + ms + " ms");
    }

    @Test
    void run_otherJdbcUrl_exits2NamingTheKey() {
        Run r = run("storage.jdbcUrl=jdbc:mysql://db/aiot");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("storage.jdbcUrl: must be empty (the embedded H2 file), a jdbc:h2: or a "
                + "jdbc:postgresql: URL"), r.err());
    }
}
