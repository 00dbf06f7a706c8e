package io.aiotedge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.StorageConfig;
import io.aiotedge.core.StartupException;
import io.aiotedge.support.Backend;
import io.aiotedge.support.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every migration on both databases, and how a PostgreSQL that cannot be used fails the start. */
class DatabaseTest {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();
    private static final List<String> VERSIONS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
            "12", "13", "14");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void start_runsEveryMigration_andARestartRunsNone(Backend backend) throws Exception {
        StorageConfig storage = backend.storage(PG);
        Database db = new Database(dir, storage, 2);
        db.start();
        try {
            assertEquals(VERSIONS, appliedVersions(db));
            assertEquals(backend == Backend.H2 ? Database.Dialect.H2 : Database.Dialect.POSTGRESQL, db.dialect());
        } finally {
            db.stop();
        }
        Database again = new Database(dir, storage, 2);
        again.start();
        try {
            assertEquals(VERSIONS, appliedVersions(again), "nothing re-applied, nothing failed");
        } finally {
            again.stop();
        }
    }

    @Test
    void wrongPassword_failsStartNamingTheKey_withoutThePassword() throws Exception {
        StorageConfig ok = PG.freshDatabase();
        Database db = new Database(dir, new StorageConfig(ok.jdbcUrl(), ok.user(), "not-the-password-42"), 2);
        StartupException e = assertThrows(StartupException.class, db::start);
        String m = e.getMessage();
        assertTrue(m.contains("storage.jdbcUrl=" + ok.jdbcUrl()) && m.contains("password authentication failed"), m);
        assertFalse(m.contains("not-the-password-42"), m);
    }

    @Test
    void passwordInTheUrl_isRedactedInTheStartError() throws Exception {
        StorageConfig ok = PG.freshDatabase();
        Database db = new Database(dir, new StorageConfig(ok.jdbcUrl() + "?password=url-secret-77", ok.user(), ""), 2);
        StartupException e = assertThrows(StartupException.class, db::start);
        assertTrue(e.getMessage().contains("password=******"), e.getMessage());
        assertFalse(e.getMessage().contains("url-secret-77"), e.getMessage());
    }

    @Test
    void unreachableServer_failsStartWithinTheBound() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Database db = new Database(dir, new StorageConfig("jdbc:postgresql://127.0.0.1:" + closed + "/aiot", "aiot",
                "x"), 2);
        long t0 = System.nanoTime();
        StartupException e = assertThrows(StartupException.class, db::start);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("storage.jdbcUrl=jdbc:postgresql://127.0.0.1:" + closed + "/aiot"),
                e.getMessage());
        assertTrue(ms < 15_000, "fails within the 10 s connection timeout, took " + ms + " ms");
    }

    private static List<String> appliedVersions(Database db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL "
                                + "ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                assertEquals(true, rs.getBoolean(2), "migration " + rs.getString(1) + " succeeded");
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
