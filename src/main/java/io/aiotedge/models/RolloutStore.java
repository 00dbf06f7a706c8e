package io.aiotedge.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.EdgeException;
import io.aiotedge.core.Rejection;
import io.aiotedge.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@code model_rollouts} and {@code rollout_events} tables. A stage change and its history
 * row are one transaction, guarded by the stage it leaves, so two deciders cannot both move one
 * rollout. Thread-safe.
 */
final class RolloutStore {
    private static final Json JSON = Json.mapper();
    private static final String COLUMNS = "id, name, version, from_version, stage, paused, seq, targeting, bounds, "
            + "started_at, started_by, stage_started_at, paused_at, paused_ms, decided_by, reason, updated_at";
    private static final String ACTIVE = "stage IN ('shadow', 'canary', 'full')";

    private final Supplier<DataSource> db;

    RolloutStore(Supplier<DataSource> db) {
        this.db = db;
    }

    /** Stores a new rollout and its first event; 409 when the model has an active one. */
    void create(Rollout r, String reason) {
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM model_rollouts WHERE name = ? AND " + ACTIVE + " FOR UPDATE")) {
                    ps.setString(1, r.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            throw Rejection.conflict("model " + r.name() + " already has an active rollout "
                                    + rs.getString(1));
                        }
                    }
                }
                insert(c, r);
                event(c, r.id(), new Rollout.Event(r.startedAt(), r.startedBy(), null, r.stage(), reason,
                        JSON.createObjectNode()));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("start a rollout of " + r.name(), e);
        }
    }

    private static void insert(Connection c, Rollout r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_rollouts (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.name());
            ps.setInt(3, r.version());
            setInt(ps, 4, r.fromVersion());
            ps.setString(5, r.stage());
            ps.setBoolean(6, r.paused());
            ps.setInt(7, r.seq());
            ps.setString(8, r.targeting().toString());
            ps.setString(9, r.bounds().toString());
            ps.setLong(10, r.startedAt());
            ps.setString(11, r.startedBy());
            ps.setLong(12, r.stageStartedAt());
            ps.setNull(13, Types.BIGINT);
            ps.setLong(14, 0);
            ps.setString(15, null);
            ps.setString(16, null);
            ps.setLong(17, r.updatedAt());
            ps.executeUpdate();
        }
    }

    /**
     * Moves a rollout from {@code from} to {@code to} (clock restarted, pause cleared, seq + 1) with
     * its history row; false when it was no longer in {@code from}.
     */
    /**
     * The highest {@code seq} any rollout of {@code name} has had (0 before a first): a new rollout
     * starts above it, so a node can refuse every older signed message, of any rollout, as a replay.
     */
    int maxSeq(String name) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c
                        .prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM model_rollouts WHERE name = ?")) {
            ps.setString(1, name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw failure("read the rollout sequence of " + name, e);
        }
    }

    boolean transition(String id, String from, String to, Rollout.Event e) {
        return update(id,
                "UPDATE model_rollouts SET stage = ?, stage_started_at = ?, paused = FALSE, paused_at = NULL, "
                        + "paused_ms = 0, seq = seq + 1, decided_by = ?, reason = ?, updated_at = ? WHERE id = ? AND stage = ?",
                ps -> {
                    ps.setString(1, to);
                    ps.setLong(2, e.at());
                    ps.setString(3, e.actor());
                    ps.setString(4, clip(e.reason()));
                    ps.setLong(5, e.at());
                    ps.setString(6, id);
                    ps.setString(7, from);
                }, e);
    }

    /** Stops the stage clock; false when it is not active or already paused. */
    boolean pause(String id, Rollout.Event e) {
        return update(id, "UPDATE model_rollouts SET paused = TRUE, paused_at = ?, updated_at = ? "
                + "WHERE id = ? AND paused = FALSE AND " + ACTIVE, ps -> {
                    ps.setLong(1, e.at());
                    ps.setLong(2, e.at());
                    ps.setString(3, id);
                }, e);
    }

    /** Restarts the stage clock, adding the pause to {@code paused_ms}; false when not paused. */
    boolean resume(String id, Rollout.Event e) {
        return update(id, "UPDATE model_rollouts SET paused = FALSE, paused_ms = paused_ms + (? - paused_at), "
                + "paused_at = NULL, updated_at = ? WHERE id = ? AND paused = TRUE AND " + ACTIVE, ps -> {
                    ps.setLong(1, e.at());
                    ps.setLong(2, e.at());
                    ps.setString(3, id);
                }, e);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String id, String sql, Binder binder, Rollout.Event e) {
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    binder.bind(ps);
                    n = ps.executeUpdate();
                }
                if (n == 1) {
                    event(c, id, e);
                }
                c.commit();
                return n == 1;
            } catch (SQLException | RuntimeException x) {
                c.rollback();
                throw x;
            }
        } catch (SQLException x) {
            throw failure("update rollout " + id, x);
        }
    }

    private static void event(Connection c, String id, Rollout.Event e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_events (rollout_id, at, actor, from_stage, "
                + "to_stage, reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setLong(2, e.at());
            ps.setString(3, e.actor());
            ps.setString(4, e.from());
            ps.setString(5, e.to());
            ps.setString(6, clip(e.reason()));
            ps.setString(7, e.evidence().toString());
            ps.executeUpdate();
        }
    }

    Optional<Rollout> find(String id) {
        return query("WHERE id = ?", ps -> ps.setString(1, id)).stream().findFirst();
    }

    /** The model's rollouts, newest first. */
    List<Rollout> list(String name) {
        return query("WHERE name = ? ORDER BY started_at DESC, id DESC", ps -> ps.setString(1, name));
    }

    List<Rollout> active() {
        return query("WHERE " + ACTIVE + " ORDER BY started_at", ps -> {});
    }

    /** The newest rollout of each model, final or not: what the retained message must show. */
    List<Rollout> newestPerModel() {
        return query("r WHERE started_at = (SELECT MAX(started_at) FROM model_rollouts o WHERE o.name = r.name)",
                ps -> {});
    }

    /** Versions an active rollout names (candidate and the champion it replaces): retention keeps them. */
    Set<Integer> pinnedVersions(String name) {
        Set<Integer> out = new HashSet<>();
        for (Rollout r : query("WHERE name = ? AND " + ACTIVE, ps -> ps.setString(1, name))) {
            out.add(r.version());
            if (r.fromVersion() != null) {
                out.add(r.fromVersion());
            }
        }
        return out;
    }

    List<Rollout.Event> events(String id) {
        List<Rollout.Event> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT at, actor, from_stage, to_stage, reason, evidence "
                        + "FROM rollout_events WHERE rollout_id = ? ORDER BY id")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Rollout.Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), tree(rs.getString(6))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the history of rollout " + id, e);
        }
    }

    private List<Rollout> query(String where, Binder binder) {
        List<Rollout> out = new ArrayList<>();
        String cols = where.startsWith("r ") ? "r." + COLUMNS.replace(", ", ", r.") : COLUMNS;
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + cols + " FROM model_rollouts " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read rollouts", e);
        }
    }

    private static Rollout row(ResultSet rs) throws SQLException {
        int from = rs.getInt(4);
        Integer fromVersion = rs.wasNull() ? null : from;
        long pa = rs.getLong(13);
        Long pausedAt = rs.wasNull() ? null : pa;
        return new Rollout(rs.getString(1), rs.getString(2), rs.getInt(3), fromVersion, rs.getString(5),
                rs.getBoolean(6), rs.getInt(7), tree(rs.getString(8)), tree(rs.getString(9)), rs.getLong(10),
                rs.getString(11), rs.getLong(12), pausedAt, rs.getLong(14), rs.getString(15), rs.getString(16),
                rs.getLong(17));
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 1000 ? s.substring(0, 1000) : s;
    }

    private static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new EdgeException("Corrupt JSON in the rollout tables: " + e.getMessage(), e);
        }
    }

    private static EdgeException failure(String what, SQLException e) {
        return new EdgeException("Cannot " + what + ": " + e.getMessage(), e);
    }
}
