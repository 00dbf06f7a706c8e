package io.aiotedge.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.EdgeException;
import io.aiotedge.core.Rejection;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@code alerts} and {@code device_commands} tables (V10): a batch of consumed records is
 * stored in one transaction, a redelivered one (same dedupe key) is skipped; an acknowledgement
 * is committed before it is answered. Plain SQL that H2 and PostgreSQL both run. Thread-safe.
 */
public final class AlertStore {
    private static final Json JSON = Json.mapper();
    private static final String COLUMNS = "id, device_id, type, band, previous_band, score, model_name, "
            + "model_version, lineage_id, node_id, rollout_id, ts, received_at, acked_by, acked_at, ack_note, reason";

    private final Supplier<DataSource> db;
    private final Clock clock;

    public AlertStore(Supplier<DataSource> db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A page of alerts, newest first; {@code next} is the {@code before} of the next page, else null. */
    public record Page(List<Alert> alerts, Long next) {
    }

    /** What one batch stored: the new alerts (with their ids) and the number of new commands. */
    record Stored(List<Alert> alerts, int commands) {
    }

    /** Whether the database answers at all (a failing batch: the database, or one record it refuses). */
    boolean reachable() {
        try (Connection c = db.get().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    Stored store(List<Incoming.NewAlert> alerts, List<Incoming.NewCommand> commands) {
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Alert> added = insertAlerts(c, alerts);
                int cmds = insertCommands(c, commands);
                c.commit();
                return new Stored(added, cmds);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot store alerts: " + e.getMessage(), e);
        }
    }

    private static List<Alert> insertAlerts(Connection c, List<Incoming.NewAlert> alerts) throws SQLException {
        List<Alert> out = new ArrayList<>();
        try (PreparedStatement in = c.prepareStatement("INSERT INTO alerts (dedupe_key, device_id, type, band, "
                + "previous_band, score, model_name, model_version, lineage_id, node_id, rollout_id, reason, ts, "
                + "received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            for (Incoming.NewAlert n : alerts) {
                if (exists(c, "alerts", n.dedupeKey())) {
                    continue;
                }
                Alert a = n.alert();
                Object[] v = {n.dedupeKey(), a.deviceId(), a.type(), a.band(), a.previousBand(), a.score(),
                        a.modelName(), a.modelVersion(), a.lineageId(), a.node(), a.rolloutId(), a.reason(), a.ts(),
                        a.receivedAt(), n.payload()};
                bind(in, v);
                in.executeUpdate();
                try (ResultSet keys = in.getGeneratedKeys()) {
                    keys.next();
                    out.add(new Alert(keys.getLong(1), a.deviceId(), a.type(), a.band(), a.previousBand(), a.score(),
                            a.modelName(), a.modelVersion(), a.lineageId(), a.node(), a.rolloutId(), a.reason(),
                            a.ts(), a.receivedAt(), null, null));
                }
            }
        }
        return out;
    }

    private int insertCommands(Connection c, List<Incoming.NewCommand> commands) throws SQLException {
        int added = 0;
        try (PreparedStatement in = c.prepareStatement("INSERT INTO device_commands (dedupe_key, device_id, command, "
                + "angle, reason, ts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Incoming.NewCommand n : commands) {
                if (exists(c, "device_commands", n.dedupeKey())) {
                    continue;
                }
                Command k = n.command();
                bind(in, new Object[] {n.dedupeKey(), k.deviceId(), k.command(), k.angle(), k.reason(), k.ts(),
                        clock.millis()});
                added += in.executeUpdate();
            }
        }
        return added;
    }

    private static boolean exists(Connection c, String table, String dedupeKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE dedupe_key = ?")) {
            ps.setString(1, dedupeKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Alerts newest first, filtered by any of device, band and acknowledged state. */
    public Page list(String device, String band, Boolean acked, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (device != null) {
            sql.append(" AND device_id = ?");
            args.add(device);
        }
        if (band != null) {
            sql.append(" AND band = ?");
            args.add(band);
        }
        if (acked != null) {
            sql.append(acked ? " AND acked_at IS NOT NULL" : " AND acked_at IS NULL");
        }
        if (before != null) {
            sql.append(" AND id < ?");
            args.add(before);
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(limit + 1).append(" ROWS ONLY");
        List<Alert> rows = query(sql.toString(), args.toArray(), false);
        Long next = null;
        if (rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
            next = rows.get(limit - 1).id();
        }
        return new Page(rows, next);
    }

    /** One alert with its payload. */
    public Optional<Alert> get(long id) {
        return query("SELECT " + COLUMNS + ", payload FROM alerts WHERE id = ?", new Object[] {id}, true).stream()
                .findFirst();
    }

    /**
     * Acknowledges an alert, durably, once: 404 when there is no such alert, 409 when it is
     * already acknowledged.
     */
    public Alert ack(long id, String by, String note) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE alerts SET acked_at = ?, acked_by = ?, ack_note = ? WHERE id = ? AND acked_at IS NULL")) {
            bind(ps, new Object[] {clock.millis(), by, note, id});
            int n = ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            if (n == 0) {
                Alert a = get(id).orElseThrow(() -> Rejection.notFound("alert " + id));
                throw Rejection.conflict("alert " + id + " is already acknowledged by " + a.ack().by());
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot acknowledge alert " + id + ": " + e.getMessage(), e);
        }
        return get(id).orElseThrow(() -> Rejection.notFound("alert " + id));
    }

    /** The last {@code n} commands sent to a device, newest first. */
    public List<Command> commands(String device, int n) {
        List<Command> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, device_id, command, angle, reason, ts FROM device_commands WHERE device_id = ? "
                                + "ORDER BY id DESC FETCH FIRST " + n + " ROWS ONLY")) {
            ps.setString(1, device);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Command(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, Integer.class), rs.getString(5), rs.getLong(6)));
                }
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot read commands: " + e.getMessage(), e);
        }
        return out;
    }

    /** Device id -> alerts not yet acknowledged (the platform's own alerts, about no device, not counted). */
    public Map<String, Integer> openCounts() {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT device_id, COUNT(*) FROM alerts WHERE acked_at IS NULL AND device_id IS NOT NULL "
                                + "GROUP BY device_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot count alerts: " + e.getMessage(), e);
        }
        return out;
    }

    private List<Alert> query(String sql, Object[] args, boolean withPayload) {
        List<Alert> out = new ArrayList<>();
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, withPayload));
                }
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot read alerts: " + e.getMessage(), e);
        }
        return out;
    }

    private static Alert row(ResultSet rs, boolean withPayload) throws SQLException {
        String by = rs.getString(14);
        Alert.Ack ack = by == null ? null : new Alert.Ack(by, rs.getLong(15), rs.getString(16));
        return new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getObject(6, Double.class), rs.getString(7), rs.getObject(8, Integer.class), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(17), rs.getLong(12), rs.getLong(13), ack,
                withPayload ? payload(rs.getString(18)) : null);
    }

    private static JsonNode payload(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            return JSON.valueToTree(s);
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }
}
