package io.aiotedge.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.aiotedge.core.EdgeException;
import io.aiotedge.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** The {@code pipeline_runs} table. Thread-safe. */
final class RunStore {
    private static final Json JSON = Json.mapper();
    private final Supplier<DataSource> db;

    RunStore(Supplier<DataSource> db) {
        this.db = db;
    }

    long create(String trigger, long now, List<StageRecord> stages) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline_runs (run_trigger, status, started_at, "
                        + "stages, outcome) VALUES (?, ?, ?, ?, '')", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, trigger);
            ps.setString(2, RunStatus.QUEUED.wire());
            ps.setLong(3, now);
            ps.setString(4, json(stages));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong("id"); // by name: pgjdbc returns every column (RETURNING *)
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot record a pipeline run: " + e.getMessage(), e);
        }
    }

    void update(long id, RunStatus status, Long finishedAt, List<StageRecord> stages, Integer version, String outcome) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c
                        .prepareStatement("UPDATE pipeline_runs SET status = ?, finished_at = ?, stages = ?, "
                                + "model_version = ?, outcome = ? WHERE id = ?")) {
            ps.setString(1, status.wire());
            if (finishedAt == null) {
                ps.setNull(2, Types.BIGINT);
            } else {
                ps.setLong(2, finishedAt);
            }
            ps.setString(3, json(stages));
            if (version == null) {
                ps.setNull(4, Types.INTEGER);
            } else {
                ps.setInt(4, version);
            }
            ps.setString(5, outcome.length() > 1000 ? outcome.substring(0, 1000) : outcome);
            ps.setLong(6, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new EdgeException("Cannot record pipeline run " + id + ": " + e.getMessage(), e);
        }
    }

    Optional<PipelineRun> find(long id) {
        List<PipelineRun> r = query("WHERE id = ?", id, 1);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    List<PipelineRun> recent(int limit) {
        return query("", null, limit);
    }

    /** Deletes the oldest finished runs beyond the newest {@code keep}; returns how many. */
    int pruneFinished(int keep) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM pipeline_runs WHERE finished_at IS NOT NULL "
                        + "AND id NOT IN (SELECT id FROM (SELECT id FROM pipeline_runs WHERE finished_at IS NOT NULL "
                        + "ORDER BY id DESC LIMIT ?) kept)")) {
            ps.setInt(1, keep);
            int n = ps.executeUpdate();
            return n;
        } catch (SQLException e) {
            throw new EdgeException("Cannot delete old pipeline runs: " + e.getMessage(), e);
        }
    }

    /** Runs left queued or running by a process that died: they will never finish. */
    int failAbandoned(long now) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE pipeline_runs SET status = ?, finished_at = ?, "
                        + "outcome = 'abandoned: the node stopped during the run' WHERE status IN (?, ?)")) {
            ps.setString(1, RunStatus.FAILED.wire());
            ps.setLong(2, now);
            ps.setString(3, RunStatus.QUEUED.wire());
            ps.setString(4, RunStatus.RUNNING.wire());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new EdgeException("Cannot clean up pipeline runs: " + e.getMessage(), e);
        }
    }

    private List<PipelineRun> query(String where, Long id, int limit) {
        List<PipelineRun> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c
                        .prepareStatement("SELECT id, run_trigger, status, started_at, finished_at, stages, "
                                + "model_version, outcome FROM pipeline_runs " + where + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            if (id != null) {
                ps.setLong(i++, id);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long fin = rs.getLong(5);
                    Long finished = rs.wasNull() ? null : fin;
                    int v = rs.getInt(7);
                    Integer version = rs.wasNull() ? null : v;
                    out.add(new PipelineRun(rs.getLong(1), rs.getString(2), RunStatus.fromWire(rs.getString(3)),
                            rs.getLong(4), finished,
                            JSON.readValue(rs.getString(6), new TypeReference<List<StageRecord>>() {}), version,
                            rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new EdgeException("Cannot read pipeline runs: " + e.getMessage(), e);
        }
    }

    private static String json(List<StageRecord> stages) {
        try {
            return JSON.writeValueAsString(stages);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
