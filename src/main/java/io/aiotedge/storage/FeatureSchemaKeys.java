package io.aiotedge.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 9: {@code feature_schemas} is unique on the SHA-256 of {@code names} instead of on
 * {@code names} itself.
 *
 * <p>Why: V3 declared {@code names VARCHAR(8192) NOT NULL UNIQUE}. H2 indexes any length;
 * PostgreSQL's btree refuses an entry over 2704 bytes ("index row size ... exceeds btree version
 * 4 maximum 2704"), so a schema of many or long feature names that H2 stores would fail on
 * PostgreSQL. Capping {@code names} at ~2700 bytes would refuse on both what H2 accepts today; a
 * unique hash keeps every guarantee (one row per distinct names string, {@code names} up to
 * 8192 characters on both) with a 64-character key that fits any index. Lookups go by the hash
 * ({@code FeatureStore}).
 *
 * <p>Written in Java because the portable parts of SQL cannot do it: the hash of the rows
 * already stored (H2's {@code HASH} and PostgreSQL's {@code sha256} differ), and the name of
 * V3's unnamed constraint, which each database chose itself (found in
 * {@code information_schema}, which both have). The same class runs on both.
 */
final class FeatureSchemaKeys implements JavaMigration {
    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("9");
    }

    @Override
    public String getDescription() {
        return "feature schema names unique by sha256";
    }

    @Override
    public Integer getChecksum() {
        return 9_001; // fixed: this class is the migration; change it only with a new version
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE feature_schemas ADD COLUMN names_sha256 CHAR(64)");
        }
        hashExisting(c);
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE feature_schemas ALTER COLUMN names_sha256 SET NOT NULL");
            for (String name : uniqueConstraints(c)) {
                st.execute("ALTER TABLE feature_schemas DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
            }
            st.execute("CREATE UNIQUE INDEX feature_schemas_names_sha256 ON feature_schemas (names_sha256)");
        }
    }

    private static void hashExisting(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, names FROM feature_schemas");
                PreparedStatement up = c.prepareStatement("UPDATE feature_schemas SET names_sha256 = ? WHERE id = ?")) {
            while (rs.next()) {
                up.setString(1, sha256(rs.getString(2)));
                up.setInt(2, rs.getInt(1));
                up.executeUpdate();
            }
        }
    }

    /** V3's UNIQUE on names: the only UNIQUE constraint of the table (the key is PRIMARY KEY). */
    private static List<String> uniqueConstraints(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c
                .prepareStatement("SELECT constraint_name FROM information_schema.table_constraints "
                        + "WHERE UPPER(table_name) = 'FEATURE_SCHEMAS' AND UPPER(table_schema) = UPPER(?) "
                        + "AND constraint_type = 'UNIQUE'")) {
            ps.setString(1, c.getSchema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The key {@code FeatureStore} stores and looks up: hex SHA-256 of the UTF-8 names string. */
    static String sha256(String names) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(names.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
