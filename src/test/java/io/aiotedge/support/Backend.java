package io.aiotedge.support;

import io.aiotedge.config.StorageConfig;
import io.aiotedge.storage.Database;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The two databases every store and query test runs on: the embedded H2 file (the default) and
 * PostgreSQL (a fresh database of the class's {@link PostgresServer}).
 */
public enum Backend {
    H2, POSTGRESQL;

    /** The storage settings of a new, empty database of this kind. */
    public StorageConfig storage(PostgresServer pg) throws SQLException {
        return this == H2 ? new StorageConfig("", "", "") : pg.freshDatabase();
    }

    /** A started, migrated, empty database; stop it when done. */
    public Database start(PostgresServer pg, Path dataDir) throws SQLException {
        Database db = new Database(dataDir, storage(pg), 4);
        db.start();
        return db;
    }

    /** {@code --set} arguments that put a node's platform database here ({@code storage.*}). */
    public String[] sets(PostgresServer pg) throws SQLException {
        StorageConfig s = storage(pg);
        return this == H2 ? new String[0]
                : new String[] {"storage.jdbcUrl=" + s.jdbcUrl(), "storage.user=" + s.user(),
                        "storage.password=" + s.password()};
    }
}
