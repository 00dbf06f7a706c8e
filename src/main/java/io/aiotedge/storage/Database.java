package io.aiotedge.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aiotedge.config.StorageConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.core.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform database: by default an H2 file at {@code <dataDir>/platform/aiot.mv.db}, or the
 * PostgreSQL (or H2) server named by {@code storage.jdbcUrl}; a pool of a few connections, and the
 * schema migrated to the newest version of {@code db/migration} on every start (the same
 * migrations on both databases; a database written by a newer release is refused rather than
 * guessed at). The registries and the datastore share it and use SQL both databases run (no
 * {@code MERGE ... KEY}, no {@code DUAL}). {@link #dataSource()} is valid only while running.
 * Thread-safe.
 *
 * <p>On PostgreSQL, pgjdbc's {@code reWriteBatchedInserts=true} is set unless the URL says
 * otherwise: it sends a batch of single-row inserts as multi-row inserts, which is what keeps
 * the datastore's batch ingest fast there (docs/benchmarks.md). Durability is the server's
 * ({@code synchronous_commit}).
 *
 * <p>Durability: every commit is in the file before {@code commit()} returns, so anything the
 * node acknowledges after a commit (an API 2xx, an ingest batch with its Kafka offsets) survives
 * {@code kill -9}. H2's default {@code WRITE_DELAY} (500 ms) lets MVStore's background writer
 * save commits up to half a second later; a killed process loses them (issue 11, finding 4:
 * 42 of 513 ingested rows, and a revocation answered 200). With {@code WRITE_DELAY=0} H2 2.4
 * stops that writer and {@code TransactionStore.endTransaction} calls {@code MVStore.commit()}
 * on the committing thread, which writes the chunk with the store lock held. The write reaches
 * the OS page cache, not the platter: a kill of the process loses nothing, a power cut may lose
 * the last commits (H2 has no per-commit fsync; a clean stop runs {@code CHECKPOINT SYNC}). The
 * cost is one chunk write per transaction, which is why ingest stores a whole poll in one
 * transaction (ingest rate within the noise of a shared machine). The price is disk space:
 * without the background writer MVStore runs no housekeeping (chunk rewriting), and each commit
 * leaves a chunk that is reusable only after RETENTION_TIME (45 s). Measured with H2 2.4.240,
 * 20-row transactions plus an offsets update: at ~10 commits/s the file is 14 MB after 60 s
 * (default delay: a few MB); at ~150 commits/s 440 MB after 120 s (default: 73 MB), 181 MB
 * after close. Follow-up if that matters on a board: a lower RETENTION_TIME, or periodic
 * compaction.
 */
public final class Database extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** Which SQL database the URL names. */
    public enum Dialect {
        H2, POSTGRESQL
    }

    private final Path dir;
    private final StorageConfig storage;
    private final int poolSize;
    private volatile HikariDataSource pool;

    /** The embedded H2 file under {@code dataDir}. */
    public Database(Path dataDir, int poolSize) {
        this(dataDir, new StorageConfig("", "", ""), poolSize);
    }

    public Database(Path dataDir, StorageConfig storage, int poolSize) {
        super("database");
        this.dir = dataDir.resolve("platform");
        this.storage = storage;
        this.poolSize = poolSize;
    }

    /** The dialect of the configured URL. */
    public Dialect dialect() {
        return storage.postgres() ? Dialect.POSTGRESQL : Dialect.H2;
    }

    /** Whether this is the embedded H2 file in the data directory (the one {@code BACKUP TO} copies). */
    public boolean embedded() {
        return storage.embedded();
    }

    @Override
    protected void doStart() throws Exception {
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(poolConfig());
        } catch (RuntimeException e) {
            throw new StartupException("Cannot open the platform database " + where() + ": " + rootMessage(e), e);
        }
        try {
            MigrateResult r = Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                    .javaMigrations(new FeatureSchemaKeys()).validateMigrationNaming(true).load().migrate();
            log.info("Platform database {} ({}) at schema version {} ({} migrations applied)", where(), dialect(),
                    r.targetSchemaVersion == null ? "current" : r.targetSchemaVersion, r.migrationsExecuted);
        } catch (RuntimeException e) {
            ds.close();
            throw new StartupException("Cannot migrate the platform database " + where() + ": " + rootMessage(e), e);
        }
        pool = ds;
        if (embedded()) {
            restrictFiles();
        }
    }

    private HikariConfig poolConfig() throws IOException {
        HikariConfig hc = new HikariConfig();
        if (embedded()) {
            PrivateFiles.directory(dir); // H2 creates its files with the process umask: the 0700 dir hides them
            // AUTO_SERVER off: one process owns the file; a second node on the same data dir fails fast
            hc.setJdbcUrl("jdbc:h2:file:" + dir.resolve("aiot").toAbsolutePath()
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        } else {
            hc.setJdbcUrl(storage.jdbcUrl());
        }
        hc.setUsername(storage.user().isEmpty() && embedded() ? "aiot" : storage.user());
        hc.setPassword(storage.password());
        if (dialect() == Dialect.POSTGRESQL) {
            String url = storage.jdbcUrl().toLowerCase(Locale.ROOT);
            if (!url.contains("rewritebatchedinserts")) {
                hc.addDataSourceProperty("reWriteBatchedInserts", "true");
            }
            if (!url.contains("connecttimeout")) {
                hc.addDataSourceProperty("connectTimeout", "10"); // seconds: an unreachable host fails start
            }
        }
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        hc.setPoolName("aiot-db");
        hc.setConnectionTimeout(10_000);
        return hc;
    }

    /** Where the database is, for messages: the directory, or the URL without its password. */
    private String where() {
        return embedded() ? "in " + dir : "at storage.jdbcUrl=" + storage.redactedUrl();
    }

    /** H2 made its files with the umask; the dir already hides them, this makes them 0600 too. */
    private void restrictFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                PrivateFiles.restrict(f);
            }
        }
    }

    @Override
    protected void doStop() {
        HikariDataSource ds = pool;
        pool = null;
        if (ds != null) {
            if (dialect() == Dialect.H2) {
                try (Connection c = ds.getConnection()) {
                    c.createStatement().execute("CHECKPOINT SYNC");
                } catch (SQLException e) {
                    log.warn("Checkpoint before close failed: {}", e.getMessage());
                }
            }
            ds.close();
        }
    }

    /** The pool; throws when the database is not running. */
    public DataSource dataSource() {
        DataSource ds = pool;
        if (ds == null) {
            throw new IllegalStateException("the platform database is not running");
        }
        return ds;
    }

    private String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = StorageConfig.redact(m);
        return storage.password().isEmpty() ? m : m.replace(storage.password(), "******");
    }
}
