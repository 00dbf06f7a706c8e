package io.aiotedge.storage;

import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * An online backup of a running platform node into one owner-only zip under
 * {@code <dataDir>/backups/}: {@value #MANIFEST}, the H2 database as H2's own {@code BACKUP TO}
 * copies it while the node runs (under {@code platform/}; on PostgreSQL the database is not in the
 * zip, {@code pg_dump} takes it), and the files a restore needs besides the database: the model
 * files ({@code models/}) and {@code keys/} (the model-signing key, the admin token: the archive
 * holds secrets). The database is copied first and the files after, so every model row in the
 * copy has its file (model files are written before their row). {@link Restore} unpacks one into
 * an empty data directory. Thread-safe: one backup at a time.
 */
public final class Backups {
    static final String MANIFEST = "backup.json";
    static final String FORMAT = "aiot-edge-backup-v1";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Database db;
    private final Path dataDir;
    private final Clock clock;

    public Backups(Database db, Path dataDir, Clock clock) {
        this.db = db;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /** What a backup wrote. */
    public record Made(Path file, long bytes, String database, int entries) {
    }

    /** Writes a new backup zip (0600) and returns where. */
    public synchronized Made create() throws IOException, SQLException {
        Path dir = PrivateFiles.directory(dataDir.resolve("backups"));
        String name = "aiot-backup-" + STAMP.format(clock.instant());
        Path target = dir.resolve(name + ".zip");
        for (int i = 2; Files.exists(target); i++) {
            target = dir.resolve(name + "-" + i + ".zip");
        }
        Path part = dir.resolve(target.getFileName() + ".part");
        Path h2 = dir.resolve(target.getFileName() + ".h2.part");
        Files.deleteIfExists(part);
        Files.deleteIfExists(h2);
        try {
            String database = db.embedded() ? "h2" : db.dialect() == Database.Dialect.H2 ? "h2-server" : "postgresql";
            if (db.embedded()) {
                h2Backup(h2);
            }
            PrivateFiles.write(part, new byte[0]); // created 0600 before any secret goes in
            int entries;
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(part))) {
                entries = 1 + (db.embedded() ? copyZip(h2, "platform/", zip) : 0);
                entries += addTree(new KeyFiles(dataDir).dir(), zip) + addTree(dataDir.resolve("models"), zip);
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(manifest(database, entries));
                zip.closeEntry();
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return new Made(target, Files.size(target), database, entries);
        } finally {
            Files.deleteIfExists(part);
            Files.deleteIfExists(h2);
        }
    }

    private void h2Backup(Path to) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("BACKUP TO '" + to.toAbsolutePath().toString().replace("'", "''") + "'");
        }
    }

    private byte[] manifest(String database, int entries) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("createdAt", clock.millis());
        m.put("database", database);
        m.put("entries", entries);
        m.put("restore", database.equals("h2") ? "aiot-edge restore --from <zip> --data-dir <empty dir>"
                : "aiot-edge restore --from <zip> --data-dir <empty dir>, and pg_restore the database's pg_dump");
        return Json.mapper().writeValueAsBytes(m);
    }

    private static int copyZip(Path h2, String prefix, ZipOutputStream zip) throws IOException {
        int n = 0;
        try (ZipFile in = new ZipFile(h2.toFile())) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(prefix + entry.getName()));
                try (InputStream is = in.getInputStream(entry)) {
                    is.transferTo(zip);
                }
                zip.closeEntry();
                n++;
            }
        }
        return n;
    }

    private int addTree(Path root, ZipOutputStream zip) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".tmp")).sorted()
                    .forEach(files::add);
        }
        for (Path f : files) {
            zip.putNextEntry(new ZipEntry(dataDir.relativize(f).toString().replace('\\', '/')));
            Files.copy(f, zip); // leaves the zip open
            zip.closeEntry();
        }
        return files.size();
    }
}
