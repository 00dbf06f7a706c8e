package io.aiotedge.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.aiotedge.core.EdgeException;
import io.aiotedge.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** The {@code devices} and {@code device_rollouts} tables. Stateless over the pool; thread-safe. */
final class DeviceStore {
    private static final Json JSON = Json.mapper();
    private static final String COLUMNS = "id, type, metadata, state, created_at, activated_at, revoked_at, online, "
            + "last_seen, firmware_version, model_version";

    private final Supplier<DataSource> db;

    DeviceStore(Supplier<DataSource> db) {
        this.db = db;
    }

    /** A device row with its secret hash, for authentication. */
    record Credentials(Device.State state, String secretHash, String provisionedVia) {
        boolean compat() {
            return VIA_COMPAT.equals(provisionedVia);
        }
    }

    static final String VIA_API = "api";
    static final String VIA_COMPAT = "compat";

    Optional<Device> find(String id) {
        return query("SELECT " + COLUMNS + " FROM devices WHERE id = ?", ps -> ps.setString(1, id)).stream()
                .findFirst();
    }

    List<Device> list(int limit, int offset) {
        return query("SELECT " + COLUMNS + " FROM devices ORDER BY id LIMIT ? OFFSET ?", ps -> {
            ps.setInt(1, limit);
            ps.setInt(2, offset);
        });
    }

    Optional<Credentials> credentials(String id) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT state, secret_hash, provisioned_via FROM devices WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Credentials(Device.State.valueOf(rs.getString(1)), rs.getString(2),
                        rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read credentials of " + id, e);
        }
    }

    /**
     * Inserts, or replaces a revoked device's row; false when a live device has that id.
     *
     * @param via {@link #VIA_API} or {@link #VIA_COMPAT}
     * @param activationCodeHash SHA-256 (hex) of a one-time activation code, or null
     */
    boolean insert(String id, String type, Map<String, Object> metadata, String secretHash, long now, String via,
            String activationCodeHash) {
        // portable upsert: revive a revoked row in place (its rollouts keep pointing at it), else
        // insert when no row has the id; a concurrent insert of the same id loses on the primary key
        int revived = update("UPDATE devices SET type = ?, metadata = ?, secret_hash = ?, state = 'PROVISIONED', "
                + "created_at = ?, activated_at = NULL, revoked_at = NULL, online = FALSE, last_seen = NULL, "
                + "firmware_version = NULL, model_version = NULL, provisioned_via = ?, activation_code_hash = ? "
                + "WHERE id = ? AND state = 'REVOKED'", ps -> {
                    ps.setString(1, type);
                    ps.setString(2, json(metadata));
                    ps.setString(3, secretHash);
                    ps.setLong(4, now);
                    ps.setString(5, via);
                    ps.setString(6, activationCodeHash);
                    ps.setString(7, id);
                });
        if (revived == 1) {
            return true;
        }
        String sql = "INSERT INTO devices (id, type, metadata, secret_hash, state, created_at, activated_at, revoked_at, "
                + "online, last_seen, firmware_version, model_version, provisioned_via, activation_code_hash) "
                + "SELECT ?, ?, ?, ?, 'PROVISIONED', ?, NULL, NULL, FALSE, NULL, NULL, NULL, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM devices WHERE id = ?)";
        try {
            return update(sql, ps -> {
                ps.setString(1, id);
                ps.setString(2, type);
                ps.setString(3, json(metadata));
                ps.setString(4, secretHash);
                ps.setLong(5, now);
                ps.setString(6, via);
                ps.setString(7, activationCodeHash);
                ps.setString(8, id);
            }) == 1;
        } catch (EdgeException e) {
            if (isUniqueViolation(e)) {
                return false; // a live device with this id was inserted concurrently
            }
            throw e;
        }
    }

    /** Activates a compat device that presents its one-time code, and uses the code up. */
    boolean activateWithCode(String id, String codeHash, long now) {
        return update("UPDATE devices SET state = 'ACTIVE', activated_at = COALESCE(activated_at, ?), "
                + "activation_code_hash = NULL WHERE id = ? AND state = 'PROVISIONED' AND provisioned_via = ? "
                + "AND activation_code_hash = ?", ps -> {
                    ps.setLong(1, now);
                    ps.setString(2, id);
                    ps.setString(3, VIA_COMPAT);
                    ps.setString(4, codeHash);
                }) == 1;
    }

    boolean activate(String id, long now) {
        return update("UPDATE devices SET state = 'ACTIVE', activated_at = COALESCE(activated_at, ?), "
                + "activation_code_hash = NULL WHERE id = ? AND state <> 'REVOKED'", ps -> {
                    ps.setLong(1, now);
                    ps.setString(2, id);
                }) == 1;
    }

    boolean revoke(String id, long now) {
        return update("UPDATE devices SET state = 'REVOKED', revoked_at = ?, online = FALSE WHERE id = ? "
                + "AND state <> 'REVOKED'", ps -> {
                    ps.setLong(1, now);
                    ps.setString(2, id);
                }) == 1;
    }

    void seen(String id, boolean online, long now) {
        update("UPDATE devices SET online = ?, last_seen = ? WHERE id = ?", ps -> {
            ps.setBoolean(1, online);
            ps.setLong(2, now);
            ps.setString(3, id);
        });
    }

    void reported(String id, String firmware, String modelVersion, long now) {
        update("UPDATE devices SET firmware_version = COALESCE(?, firmware_version), "
                + "model_version = COALESCE(?, model_version), last_seen = ? WHERE id = ?", ps -> {
                    ps.setString(1, firmware);
                    ps.setString(2, modelVersion);
                    ps.setLong(3, now);
                    ps.setString(4, id);
                });
    }

    void rollout(DeviceRollout r) {
        Binder set = ps -> {
            ps.setInt(1, r.version());
            ps.setString(2, r.state());
            ps.setString(3, r.detail());
            ps.setLong(4, r.updatedAt());
            ps.setString(5, r.deviceId());
            ps.setString(6, r.modelName());
        };
        String up = "UPDATE device_rollouts SET version = ?, state = ?, detail = ?, updated_at = ? "
                + "WHERE device_id = ? AND model_name = ?";
        if (update(up, set) == 1) {
            return;
        }
        try {
            update("INSERT INTO device_rollouts (device_id, model_name, version, state, detail, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", ps -> {
                        ps.setString(1, r.deviceId());
                        ps.setString(2, r.modelName());
                        ps.setInt(3, r.version());
                        ps.setString(4, r.state());
                        ps.setString(5, r.detail());
                        ps.setLong(6, r.updatedAt());
                    });
        } catch (EdgeException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            update(up, set); // a concurrent report inserted the row first: ours is the newer state
        }
    }

    private static boolean isUniqueViolation(EdgeException e) {
        return e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }

    List<DeviceRollout> rollouts(String modelName, Integer version) {
        String sql = "SELECT device_id, model_name, version, state, detail, updated_at FROM device_rollouts "
                + "WHERE model_name = ?" + (version == null ? "" : " AND version = ?") + " ORDER BY device_id";
        List<DeviceRollout> out = new ArrayList<>();
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelName);
            if (version != null) {
                ps.setInt(2, version);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeviceRollout(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read rollouts of " + modelName, e);
        }
    }

    long count() {
        try (Connection c = db.get().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM devices WHERE state <> 'REVOKED'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("count devices", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("update devices", e);
        }
    }

    private List<Device> query(String sql, Binder binder) {
        List<Device> out = new ArrayList<>();
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(device(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read devices", e);
        }
    }

    private static Device device(ResultSet rs) throws SQLException {
        return new Device(rs.getString("id"), rs.getString("type"), map(rs.getString("metadata")),
                Device.State.valueOf(rs.getString("state")), rs.getLong("created_at"), nullableLong(rs, "activated_at"),
                nullableLong(rs, "revoked_at"), rs.getBoolean("online"), nullableLong(rs, "last_seen"),
                rs.getString("firmware_version"), rs.getString("model_version"));
    }

    private static Long nullableLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static String json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not serialisable", e);
        }
    }

    private static Map<String, Object> map(String s) {
        try {
            return JSON.readValue(s, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static EdgeException failure(String what, SQLException e) {
        return new EdgeException("Cannot " + what + ": " + e.getMessage(), e);
    }

}
