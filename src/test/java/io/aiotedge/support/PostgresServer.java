package io.aiotedge.support;

import io.aiotedge.config.StorageConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway Debian PostgreSQL cluster for one test class: {@code initdb} (as user
 * {@code postgres} when the tests run as root, which initdb refuses) into a temp dir,
 * scram-sha-256 authentication with a random password (so {@code storage.password} is really
 * checked), {@code fsync=off}, on a free port of 127.0.0.1; stopped and deleted after the class.
 * Each {@link #freshDatabase()} is a new empty database, so tests do not see each other's rows.
 * When the server binaries are absent the PostgreSQL cases are skipped with the reason (the H2
 * cases still run); any other failure to start fails the class.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
    public static final String USER = "aiot";

    private final String password = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(new SecureRandom().generateSeed(18));
    private final AtomicInteger databases = new AtomicInteger();
    private Path bin;
    private Path dir;
    private int port;
    private String unavailable;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        bin = binaries();
        if (bin == null) {
            unavailable = "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb; .ci/run installs "
                    + "Debian's postgresql)";
            return;
        }
        dir = Files.createTempDirectory("aiot-pg-");
        Files.writeString(dir.resolve("pw"), password + "\n", StandardCharsets.UTF_8);
        if (root()) {
            run(List.of("chown", "-R", "postgres:", dir.toString()));
        }
        run(asOwner(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--auth=scram-sha-256", "--pwfile=" + dir.resolve("pw"), "-E", "UTF8", "--locale=C.UTF-8",
                "--no-sync"));
        port = freePort();
        run(asOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("pg.log").toString(), "-w", "-t", "60", "-o", "-p " + port + " -k " + dir
                        + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
                "start"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dir == null) {
            return;
        }
        try {
            run(asOwner(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }

    /** Skips the calling test (with the reason) when the binaries are absent. */
    public void assumeAvailable() {
        Assumptions.assumeTrue(unavailable == null, unavailable);
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new empty database, and the storage settings that reach it. */
    public StorageConfig freshDatabase() throws SQLException {
        assumeAvailable();
        String name = "aiot_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, password);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return new StorageConfig(url(name), USER, password);
    }

    /** The directory of the client tools ({@code pg_dump}, {@code pg_restore}, {@code psql}). */
    public Path bin() {
        assumeAvailable();
        return bin;
    }

    private static Path binaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> b.getParent().getFileName().toString())).orElse(null);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asOwner(String... command) {
        List<String> out = new ArrayList<>();
        if (root()) {
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(command));
        return out;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Proc.Result r = Proc.run(90, command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(command.get(command.size() > 4 && root() ? 4 : 0) + " failed (exit "
                    + r.exitCode() + "): " + r.stdout() + r.stderr());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
