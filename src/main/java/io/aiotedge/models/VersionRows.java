package io.aiotedge.models;

import io.aiotedge.core.EdgeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The per-model version counter (V11), version status, and the retention delete. The counter is
 * what keeps a number from ever being reused: {@code MAX(version) + 1} would hand out a deleted
 * newest version's number again, which caches and rollback statements assume cannot happen.
 * Thread-safe (each call is its own transaction).
 */
final class VersionRows {
    private final Supplier<DataSource> db;

    VersionRows(Supplier<DataSource> db) {
        this.db = db;
    }

    /** Increments and returns the counter of {@code name}; a burnt number (failed insert) is never reused. */
    int next(String name) {
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                int n;
                // never below a stored row either (rows inserted past the counter, a restored backup)
                try (PreparedStatement ps = c.prepareStatement("UPDATE model_version_counters SET last_version = "
                        + "GREATEST(last_version, (SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE name = ?)) "
                        + "+ 1 WHERE name = ?")) {
                    ps.setString(1, name);
                    ps.setString(2, name);
                    n = ps.executeUpdate();
                }
                if (n == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_version_counters (name, "
                            + "last_version) SELECT ?, COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?")) {
                        ps.setString(1, name);
                        ps.setString(2, name);
                        ps.executeUpdate();
                    }
                }
                int v = last(c, name);
                c.commit();
                return v;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("number a new version of " + name, e);
        }
    }

    /** The highest number ever handed out for {@code name}, 0 when none. */
    int last(String name) {
        try (Connection c = db.get().getConnection()) {
            return last(c, name);
        } catch (SQLException e) {
            throw failure("read the version counter of " + name, e);
        }
    }

    private static int last(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c
                .prepareStatement("SELECT last_version FROM model_version_counters WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Marks a version {@code rejected} with why; true when the row exists. */
    boolean reject(String name, int version, String reason, long now) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE model_versions SET status = ?, status_reason = ?, "
                        + "status_at = ? WHERE name = ? AND version = ?")) {
            ps.setString(1, ModelVersion.REJECTED);
            ps.setString(2, reason.length() > 512 ? reason.substring(0, 512) : reason);
            ps.setLong(3, now);
            ps.setString(4, name);
            ps.setInt(5, version);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("reject " + name + " v" + version, e);
        }
    }

    /** Deletes these versions of {@code name} in one transaction (all or none). */
    void deleteAll(String name, List<Integer> versions) {
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c
                    .prepareStatement("DELETE FROM model_versions WHERE name = ? AND version = ?")) {
                for (int v : versions) {
                    ps.setString(1, name);
                    ps.setInt(2, v);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("delete old versions of " + name, e);
        }
    }

    /** Every sha256 a version row still refers to. */
    Set<String> liveShas() {
        Set<String> out = new HashSet<>();
        try (Connection c = db.get().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT DISTINCT sha256 FROM model_versions")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list stored model hashes", e);
        }
    }

    private static EdgeException failure(String what, SQLException e) {
        return new EdgeException("Cannot " + what + ": " + e.getMessage(), e);
    }
}
