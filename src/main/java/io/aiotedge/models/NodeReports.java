package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.EdgeException;
import io.aiotedge.core.Rejection;
import io.aiotedge.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What inference nodes report ({@code POST /api/v1/nodes/{id}/report}, docs/platform.md): the
 * newest counts per node, session, rollout and device replace the row ({@code inference_reports}),
 * what a node serves replaces its {@code node_serving} row, and the sums a rollout's bounds are
 * checked on are taken over every session. Thread-safe.
 */
public final class NodeReports {
    private static final Json JSON = Json.mapper();
    /** Per-device counters, in the report's names and the table's column order. */
    public static final List<String> COUNTS = List.of("windows", "agree", "championFailure", "candidateFailure",
            "candidateFailureOnChampionOk", "championBandChanges", "candidateBandChanges", "alerts",
            "championAlerts", "candidateAlerts", "labelled", "championCorrect", "candidateCorrect");
    private static final String COLUMNS = "windows, agree, champion_failure, candidate_failure, "
            + "candidate_failure_on_champion_ok, champion_band_changes, candidate_band_changes, alerts, "
            + "champion_alerts, candidate_alerts, labelled, champion_correct, candidate_correct";
    static final int MAX_DEVICES = 10_000;
    /**
     * Process sessions (restarts) of one node kept per rollout: each keeps its own cumulative rows,
     * so without a cap a node restarting in a loop, or a hostile token, would grow the table forever.
     */
    static final int MAX_SESSIONS = 32;

    private final Supplier<DataSource> db;

    public NodeReports(Supplier<DataSource> db) {
        this.db = db;
    }

    /** Stores one report of {@code nodeId}; returns the number of devices taken. 400 on a malformed one. */
    public int record(String nodeId, JsonNode report, long now) {
        String session = text(report, "session", 64);
        String model = text(report, "model", 64);
        JsonNode serving = report.path("serving");
        if (!serving.isObject()) {
            throw Rejection.invalid("serving", "is required (an object)");
        }
        String rollout = serving.path("rolloutId").asText("");
        JsonNode devices = report.path("devices");
        if (!devices.isMissingNode() && !devices.isArray() || devices.size() > MAX_DEVICES) {
            throw Rejection.invalid("devices", "must be an array of at most " + MAX_DEVICES);
        }
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                if (devices.size() > 0) {
                    requireSessionRoom(c, nodeId, session, rollout);
                }
                serving(c, nodeId, model, serving, rollout, now);
                for (JsonNode d : devices) {
                    device(c, nodeId, session, rollout, d, now);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot store the report of node " + nodeId + ": " + e.getMessage(), e);
        }
        return devices.size();
    }

    private static void requireSessionRoom(Connection c, String node, String session, String rollout)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT session_id) FROM inference_reports "
                + "WHERE node_id = ? AND rollout_id = ? AND session_id <> ?")) {
            ps.setString(1, node);
            ps.setString(2, clip(rollout, 32));
            ps.setString(3, session);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= MAX_SESSIONS) {
                    throw Rejection.conflict("node " + node + " already reported " + MAX_SESSIONS
                            + " sessions for rollout " + rollout
                            + " (the most kept); a new session's counts are refused");
                }
            }
        }
    }

    private static void serving(Connection c, String node, String model, JsonNode s, String rollout, long now)
            throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM node_serving WHERE node_id = ?")) {
            del.setString(1, node);
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO node_serving (node_id, model_name, version, "
                + "candidate_version, rollout_id, candidate_state, detail, load_failures, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, node);
            ps.setString(2, model);
            setInt(ps, 3, s.path("champion"));
            setInt(ps, 4, s.path("candidate"));
            ps.setString(5, clip(rollout, 32));
            ps.setString(6, clip(s.path("candidateState").asText("none"), 16));
            ps.setString(7, clip(s.path("detail").asText(""), 512));
            ps.setInt(8, Math.max(0, s.path("loadFailures").asInt(0)));
            ps.setLong(9, now);
            ps.executeUpdate();
        }
    }

    private static void device(Connection c, String node, String session, String rollout, JsonNode d, long now)
            throws SQLException {
        String id = text(d, "device", 128);
        try (PreparedStatement del = c.prepareStatement("DELETE FROM inference_reports WHERE node_id = ? AND "
                + "session_id = ? AND rollout_id = ? AND device_id = ?")) {
            del.setString(1, node);
            del.setString(2, session);
            del.setString(3, clip(rollout, 32));
            del.setString(4, id);
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO inference_reports (node_id, session_id, "
                + "rollout_id, device_id, served_by, " + COLUMNS + ", deciles, updated_at) VALUES (?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, node);
            ps.setString(2, session);
            ps.setString(3, clip(rollout, 32));
            ps.setString(4, id);
            setInt(ps, 5, d.path("servedBy"));
            for (int i = 0; i < COUNTS.size(); i++) {
                long v = d.path(COUNTS.get(i)).asLong(0);
                if (v < 0) {
                    throw Rejection.invalid("devices[].".concat(COUNTS.get(i)), "must not be negative");
                }
                ps.setLong(6 + i, v);
            }
            JsonNode dec = d.path("deciles");
            ps.setString(6 + COUNTS.size(), dec.isArray() && dec.size() == 10 ? dec.toString() : "[]");
            ps.setLong(7 + COUNTS.size(), now);
            ps.executeUpdate();
        }
    }

    /** Sums over every node and session of one rollout; {@code servedBy} null = every device. */
    public ObjectNode sums(String rolloutId, Integer servedBy) {
        String where = " WHERE rollout_id = ?" + (servedBy == null ? "" : " AND served_by = ?");
        StringBuilder sel = new StringBuilder("SELECT COUNT(DISTINCT device_id)");
        for (String col : COLUMNS.split(", ")) {
            sel.append(", COALESCE(SUM(").append(col).append("), 0)");
        }
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(sel + " FROM inference_reports" + where)) {
            ps.setString(1, rolloutId);
            if (servedBy != null) {
                ps.setInt(2, servedBy);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ObjectNode out = JSON.createObjectNode().put("devices", rs.getInt(1));
                for (int i = 0; i < COUNTS.size(); i++) {
                    out.put(COUNTS.get(i), rs.getLong(2 + i));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot sum the reports of rollout " + rolloutId + ": " + e.getMessage(), e);
        }
    }

    /** What one node serves, from its newest report. */
    public record Serving(String node, String model, Integer version, Integer candidate, String rolloutId,
            String candidateState, String detail, int loadFailures, long updatedAt) {
    }

    /** Every node's newest {@link Serving} of {@code model}. */
    public List<Serving> serving(String model) {
        List<Serving> out = new java.util.ArrayList<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT node_id, model_name, version, candidate_version, "
                        + "rollout_id, candidate_state, detail, load_failures, updated_at FROM node_serving "
                        + "WHERE model_name = ? ORDER BY node_id")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Serving(rs.getString(1), rs.getString(2), nullable(rs, 3), nullable(rs, 4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getLong(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new EdgeException("Cannot read what nodes serve: " + e.getMessage(), e);
        }
    }

    /** version -> {nodes, devices}: nodes by their champion, devices by the version serving them newest. */
    public Map<String, Map<String, Integer>> perVersion(String model, String rolloutId) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (Serving s : serving(model)) {
            if (s.version() != null) {
                out.computeIfAbsent(String.valueOf(s.version()), k -> counts()).merge("nodes", 1, Integer::sum);
            }
        }
        Map<String, long[]> newest = new HashMap<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT device_id, served_by, updated_at FROM "
                        + "inference_reports WHERE rollout_id = ? AND served_by IS NOT NULL")) {
            ps.setString(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] seen = newest.get(rs.getString(1));
                    if (seen == null || rs.getLong(3) > seen[1]) {
                        newest.put(rs.getString(1), new long[] {rs.getInt(2), rs.getLong(3)});
                    }
                }
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot count devices per version: " + e.getMessage(), e);
        }
        newest.values().forEach(v -> out.computeIfAbsent(String.valueOf(v[0]), k -> counts()).merge("devices", 1,
                Integer::sum));
        return out;
    }

    private static Map<String, Integer> counts() {
        Map<String, Integer> m = new TreeMap<>();
        m.put("devices", 0);
        m.put("nodes", 0);
        return m;
    }

    private static String text(JsonNode n, String field, int max) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > max) {
            throw Rejection.invalid(field, "is required: a string of 1-" + max + " characters");
        }
        return v.asText();
    }

    private static void setInt(PreparedStatement ps, int i, JsonNode v) throws SQLException {
        if (v.canConvertToInt() && v.isIntegralNumber()) {
            ps.setInt(i, v.asInt());
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }

    private static Integer nullable(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
