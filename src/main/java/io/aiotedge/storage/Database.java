package io.aiotedge.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.core.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform database: an H2 file at {@code <dataDir>/platform/aiot.mv.db}, a pool of a few
 * connections, and the schema migrated to the newest version of {@code db/migration} on every
 * start (a database written by a newer release is refused rather than guessed at). The registries
 * and the datastore share it. {@link #dataSource()} is valid only while running. Thread-safe.
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

    private final Path dir;
    private final int poolSize;
    private volatile HikariDataSource pool;

    public Database(Path dataDir, int poolSize) {
        super("database");
        this.dir = dataDir.resolve("platform");
        this.poolSize = poolSize;
    }

    @Override
    protected void doStart() throws Exception {
        PrivateFiles.directory(dir); // H2 creates its files with the process umask: the 0700 dir hides them
        HikariConfig hc = new HikariConfig();
        // AUTO_SERVER off: one process owns the file; a second node on the same data dir fails fast
        hc.setJdbcUrl("jdbc:h2:file:" + dir.resolve("aiot").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        hc.setUsername("aiot");
        hc.setPassword("");
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        hc.setPoolName("aiot-db");
        hc.setConnectionTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StartupException("Cannot open the platform database in " + dir + ": " + rootMessage(e), e);
        }
        try {
            MigrateResult r = Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                    .validateMigrationNaming(true).load().migrate();
            log.info("Platform database {} at schema version {} ({} migrations applied)", dir,
                    r.targetSchemaVersion == null ? "current" : r.targetSchemaVersion, r.migrationsExecuted);
        } catch (RuntimeException e) {
            ds.close();
            throw new StartupException("Cannot migrate the platform database in " + dir + ": " + rootMessage(e), e);
        }
        pool = ds;
        restrictFiles();
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
            try (Connection c = ds.getConnection()) {
                c.createStatement().execute("CHECKPOINT SYNC");
            } catch (SQLException e) {
                log.warn("Checkpoint before close failed: {}", e.getMessage());
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

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
