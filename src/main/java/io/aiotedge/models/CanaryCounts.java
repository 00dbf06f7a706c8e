package io.aiotedge.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.core.EdgeException;
import io.aiotedge.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The canary devices' alert counts since the canary stage began. Node reports are cumulative
 * since the rollout began, shadow included (where the candidate's alerts are the ones it would
 * have raised), so when a rollout enters {@code canary} {@link #markCanaryStart} stores what each
 * report row held ({@code rollout_canary_baselines}), and {@link #sinceCanaryStart} subtracts it.
 * Both are in the database, so a restarted platform counts the same. Thread-safe.
 */
final class CanaryCounts {
    private static final Json JSON = Json.mapper();

    private final Supplier<DataSource> db;

    CanaryCounts(Supplier<DataSource> db) {
        this.db = db;
    }

    /** Replaces the rollout's baseline with its report rows now (one transaction). */
    void markCanaryStart(String rolloutId) {
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM rollout_canary_baselines WHERE rollout_id = ?");
                    PreparedStatement in = c.prepareStatement("INSERT INTO rollout_canary_baselines (rollout_id, "
                            + "node_id, session_id, device_id, champion_alerts, candidate_alerts) SELECT rollout_id, "
                            + "node_id, session_id, device_id, champion_alerts, candidate_alerts FROM "
                            + "inference_reports WHERE rollout_id = ?")) {
                del.setString(1, rolloutId);
                del.executeUpdate();
                in.setString(1, rolloutId);
                in.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot mark the canary start of rollout " + rolloutId + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code {devices, candidateAlerts, championAlerts}} of the devices the candidate serves
     * ({@code servedBy} = its version), counted since the canary began.
     */
    ObjectNode sinceCanaryStart(String rolloutId, int version) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT r.device_id), "
                        + "COALESCE(SUM(GREATEST(r.candidate_alerts - COALESCE(b.candidate_alerts, 0), 0)), 0), "
                        + "COALESCE(SUM(GREATEST(r.champion_alerts - COALESCE(b.champion_alerts, 0), 0)), 0) "
                        + "FROM inference_reports r LEFT JOIN rollout_canary_baselines b ON b.rollout_id = r.rollout_id "
                        + "AND b.node_id = r.node_id AND b.session_id = r.session_id AND b.device_id = r.device_id "
                        + "WHERE r.rollout_id = ? AND r.served_by = ?")) {
            ps.setString(1, rolloutId);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                // a report row never shrinks within its session, but a hostile one could: each row counts at
                // least zero, so one node cannot cancel another's alerts
                return JSON.createObjectNode().put("devices", rs.getInt(1)).put("candidateAlerts", rs.getLong(2))
                        .put("championAlerts", rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot count the canary of rollout " + rolloutId + ": " + e.getMessage(), e);
        }
    }
}
