package io.aiotedge.datastore;

import io.aiotedge.core.EdgeException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@code telemetry_rows} table. Inserts are batched in one transaction and idempotent: a row
 * whose dedupe key is already stored is skipped, so a redelivered batch stores nothing twice.
 * Thread-safe.
 */
public final class FeatureStore {
    private final Supplier<DataSource> db;
    private final FeatureSchemas schemas = new FeatureSchemas();

    public FeatureStore(Supplier<DataSource> db) {
        this.db = db;
    }

    private static final String INSERT = "INSERT INTO telemetry_rows (dedupe_key, device_id, ts, seq, label, schema_id, "
            + "features, source, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_NEW = "INSERT INTO telemetry_rows (dedupe_key, device_id, ts, seq, label, schema_id, "
            + "features, source, ingested_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? "
            + "WHERE NOT EXISTS (SELECT 1 FROM telemetry_rows WHERE dedupe_key = ?)";
    private static final String UNIQUE_VIOLATION = "23505";
    /** A concurrent writer won a race (its key, or a deadlock between two overlapping batches). */
    private static final Set<String> LOST_RACE = Set.of(UNIQUE_VIOLATION, "40P01", "40001");
    private static final int ROW_BY_ROW_ATTEMPTS = 5;

    /**
     * Stores the rows not already stored; returns how many were new. The common case, no
     * duplicates, is one plain batch insert; a batch that hits the unique dedupe key is rolled back
     * and redone row by row skipping keys already stored.
     */
    public int insert(List<FeatureRow> rows, long now) {
        return insert(rows, now, IngestOffsets.Consumed.NONE);
    }

    /**
     * As {@link #insert(List, long)}, and saves the Kafka positions the batch reached in the same
     * transaction (also when every record of it was a duplicate or dead-lettered), so the rows and
     * the position the ingest resumes from are stored together or not at all.
     */
    int insert(List<FeatureRow> rows, long now, IngestOffsets.Consumed consumed) {
        if (rows.isEmpty() && consumed.positions().isEmpty()) {
            return 0;
        }
        List<FeatureRow> unique = new ArrayList<>(rows.size());
        Set<String> inBatch = new java.util.HashSet<>();
        for (FeatureRow r : rows) {
            if (inBatch.add(r.dedupeKey())) { // the same record twice in one batch
                unique.add(r);
            }
        }
        try (Connection c = db.get().getConnection()) {
            // schemas first, committed on their own: a rolled-back batch must not take a cached id with it
            for (FeatureRow r : unique) {
                schemas.id(c, r.names());
            }
            c.setAutoCommit(false);
            try {
                int added = batch(c, INSERT, unique, now);
                IngestOffsets.save(c, consumed, now);
                c.commit();
                return added;
            } catch (SQLException e) {
                c.rollback();
                if (!isUniqueViolation(e)) {
                    throw e;
                }
            }
            return insertNew(c, unique, now, consumed);
        } catch (SQLException e) {
            throw new EdgeException("Cannot store " + rows.size() + " feature rows: " + e.getMessage(), e);
        }
    }

    /**
     * The row-by-row path: each insert skips a key already stored. A writer racing on the same keys
     * (another node on the same PostgreSQL, a redelivery) can still commit one of them between our
     * check and our insert; the unique index refuses ours, PostgreSQL aborts the whole transaction
     * (it cannot continue after an error), so the batch is rolled back and checked again, and the
     * rows the other writer stored are then skipped.
     */
    private int insertNew(Connection c, List<FeatureRow> unique, long now, IngestOffsets.Consumed consumed)
            throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                int added = batch(c, INSERT_NEW, unique, now);
                IngestOffsets.save(c, consumed, now);
                c.commit();
                return added;
            } catch (SQLException e) {
                c.rollback();
                if (attempt >= ROW_BY_ROW_ATTEMPTS || !hasState(e, LOST_RACE)) {
                    throw e;
                }
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The positions stored for a consumer group ("topic/partition" -> next offset). */
    Map<String, Long> storedOffsets(String groupId) {
        try (Connection c = db.get().getConnection()) {
            return IngestOffsets.load(c, groupId);
        } catch (SQLException e) {
            throw new EdgeException("Cannot read the ingest offsets: " + e.getMessage(), e);
        }
    }

    private int batch(Connection c, String sql, List<FeatureRow> rows, long now) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (FeatureRow r : rows) {
                ps.setString(1, r.dedupeKey());
                ps.setString(2, r.deviceId());
                ps.setLong(3, r.timestamp());
                if (r.sequence() == null) {
                    ps.setNull(4, Types.BIGINT);
                } else {
                    ps.setLong(4, r.sequence());
                }
                ps.setString(5, r.label());
                ps.setInt(6, schemas.id(c, r.names()));
                ps.setObject(7, boxed(r.values()));
                ps.setString(8, r.source());
                ps.setLong(9, now);
                if (sql == INSERT_NEW) {
                    ps.setString(10, r.dedupeKey());
                }
                ps.addBatch();
            }
            int added = 0;
            for (int n : ps.executeBatch()) {
                // pgjdbc's reWriteBatchedInserts reports SUCCESS_NO_INFO for rewritten single-row
                // INSERT ... VALUES; each succeeded with one row (INSERT ... SELECT is not rewritten)
                added += n >= 0 ? n : n == Statement.SUCCESS_NO_INFO && sql == INSERT ? 1 : 0;
            }
            return added;
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        return hasState(e, Set.of(UNIQUE_VIOLATION));
    }

    private static boolean hasState(SQLException e, Set<String> states) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && states.contains(s.getSQLState())) {
                return true;
            }
        }
        for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
            if (states.contains(n.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public List<FeatureRow> query(RowQuery q) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, dedupe_key, device_id, ts, seq, label, schema_id, features, source "
                        + "FROM telemetry_rows WHERE ts >= ? AND ts < ? AND id > ?");
        if (q.deviceId() != null) {
            sql.append(" AND device_id = ?");
        }
        if (q.label() != null) {
            sql.append(" AND label = ?");
        }
        sql.append(" ORDER BY id LIMIT ?");
        List<FeatureRow> out = new ArrayList<>();
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, q.from());
            ps.setLong(i++, q.to());
            ps.setLong(i++, q.afterId());
            if (q.deviceId() != null) {
                ps.setString(i++, q.deviceId());
            }
            if (q.label() != null) {
                ps.setString(i++, q.label());
            }
            ps.setInt(i, q.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(5);
                    Long sequence = rs.wasNull() ? null : seq;
                    out.add(new FeatureRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), sequence,
                            rs.getString(6), schemas.names(c, rs.getInt(7)), unboxed(rs.getArray(8)), rs.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new EdgeException("Cannot query feature rows: " + e.getMessage(), e);
        }
    }

    /** The newest {@code n} rows of one device, oldest first (the console's device charts). */
    public List<FeatureRow> latest(String deviceId, int n) {
        List<FeatureRow> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, ts, schema_id, features, source FROM telemetry_rows WHERE device_id = ? "
                                + "ORDER BY ts DESC LIMIT ?")) {
            ps.setString(1, deviceId);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FeatureRow(rs.getLong(1), "", deviceId, rs.getLong(2), null, null,
                            schemas.names(c, rs.getInt(3)), unboxed(rs.getArray(4)), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot query feature rows: " + e.getMessage(), e);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** The union of feature names, in first-seen order, of every schema used by rows in the range. */
    public List<String> featureNames(long from, long to) {
        Set<String> out = new LinkedHashSet<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT DISTINCT schema_id FROM telemetry_rows WHERE ts >= ? AND ts < ? ORDER BY schema_id")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addAll(schemas.names(c, rs.getInt(1)));
                }
            }
            return List.copyOf(out);
        } catch (SQLException e) {
            throw new EdgeException("Cannot read feature schemas: " + e.getMessage(), e);
        }
    }

    public long count() {
        try (Connection c = db.get().getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM telemetry_rows")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new EdgeException("Cannot count feature rows: " + e.getMessage(), e);
        }
    }

    /** Deletes rows older than {@code minTimestamp}, then the oldest beyond {@code maxRows}. */
    public long trim(long minTimestamp, long maxRows) {
        try (Connection c = db.get().getConnection()) {
            long deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry_rows WHERE ts < ?")) {
                ps.setLong(1, minTimestamp);
                deleted = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry_rows WHERE id <= "
                    + "(SELECT id FROM telemetry_rows ORDER BY id DESC OFFSET ? ROWS FETCH FIRST 1 ROW ONLY)")) {
                ps.setLong(1, maxRows);
                deleted += ps.executeUpdate();
            }
            return deleted;
        } catch (SQLException e) {
            throw new EdgeException("Cannot apply retention: " + e.getMessage(), e);
        }
    }

    private static Double[] boxed(double[] v) {
        Double[] out = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double[] unboxed(Array a) throws SQLException {
        Object[] o = (Object[]) a.getArray();
        double[] out = new double[o.length];
        for (int i = 0; i < o.length; i++) {
            out[i] = ((Number) o[i]).doubleValue();
        }
        return out;
    }
}
