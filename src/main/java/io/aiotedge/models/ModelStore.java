package io.aiotedge.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.EdgeException;
import io.aiotedge.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** The model tables. Alias changes run in one transaction with their history row. Thread-safe. */
final class ModelStore {
    private static final Json JSON = Json.mapper();
    private static final String COLUMNS = "name, version, sha256, size_bytes, file_name, format, signature, "
            + "input_schema, quantization, metrics, lineage, tags, created_at, created_by, metadata_signature, "
            + "status, status_reason, lineage_id";

    private final Supplier<DataSource> db;

    ModelStore(Supplier<DataSource> db) {
        this.db = db;
    }

    /** The next number for {@code name} from its counter: never one used before, even after deletes. */
    int nextVersion(String name) {
        return new VersionRows(db).next(name);
    }

    boolean fileNameTaken(String fileName) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM model_versions WHERE file_name = ?")) {
            ps.setString(1, fileName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("read file names", e);
        }
    }

    void insert(ModelVersion v) {
        String sql = "INSERT INTO model_versions (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, v.name());
            ps.setInt(2, v.version());
            ps.setString(3, v.sha256());
            ps.setLong(4, v.size());
            ps.setString(5, v.fileName());
            ps.setString(6, v.format());
            ps.setString(7, v.signature());
            ps.setString(8, text(v.inputSchema()));
            ps.setString(9, text(v.quantization()));
            ps.setString(10, text(v.metrics()));
            ps.setString(11, text(v.lineage()));
            ps.setString(12, text(v.tags()));
            ps.setLong(13, v.createdAt());
            ps.setString(14, v.createdBy());
            ps.setString(15, v.metadataSignature());
            ps.setString(16, v.status());
            ps.setString(17, v.statusReason());
            ps.setString(18, v.lineageId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("store model " + v.name() + " v" + v.version(), e);
        }
    }

    Optional<ModelVersion> find(String name, int version) {
        return versions("WHERE name = ? AND version = ?", ps -> {
            ps.setString(1, name);
            ps.setInt(2, version);
        }).stream().findFirst();
    }

    Optional<ModelVersion> findByFileName(String fileName) {
        return versions("WHERE file_name = ?", ps -> ps.setString(1, fileName)).stream().findFirst();
    }

    List<ModelVersion> findBySha(String sha256) {
        return versions("WHERE sha256 = ? ORDER BY name, version", ps -> ps.setString(1, sha256));
    }

    List<ModelVersion> versionsOf(String name) {
        return versions("WHERE name = ? ORDER BY version DESC", ps -> ps.setString(1, name));
    }

    List<String> names() {
        List<String> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT DISTINCT name FROM model_versions ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list models", e);
        }
    }

    /** alias -> version for one model. */
    Map<String, Integer> aliases(String name) {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c
                        .prepareStatement("SELECT alias, version FROM model_aliases WHERE name = ? ORDER BY alias")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read aliases of " + name, e);
        }
    }

    /** Sets (or with {@code to == null} removes) aliases and writes their history, atomically. */
    void changeAliases(String name, Map<String, Integer> changes, String by, long now, String reason) {
        try (Connection c = db.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, Integer> before = aliases(c, name);
                for (Map.Entry<String, Integer> ch : changes.entrySet()) {
                    Integer from = before.get(ch.getKey());
                    Integer to = ch.getValue();
                    if (java.util.Objects.equals(from, to)) {
                        continue;
                    }
                    setAlias(c, name, ch.getKey(), from, to, now);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_alias_history "
                            + "(name, alias, from_version, to_version, changed_by, changed_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, name);
                        ps.setString(2, ch.getKey());
                        setNullableInt(ps, 3, from);
                        setNullableInt(ps, 4, to);
                        ps.setString(5, by);
                        ps.setLong(6, now);
                        ps.setString(7, reason);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("change aliases of " + name, e);
        }
    }

    /** Portable upsert: the aliases of {@code name} are locked FOR UPDATE, so {@code from} is current. */
    private static void setAlias(Connection c, String name, String alias, Integer from, Integer to, long now)
            throws SQLException {
        String sql = to == null ? "DELETE FROM model_aliases WHERE name = ? AND alias = ?"
                : from == null ? "INSERT INTO model_aliases (version, updated_at, name, alias) VALUES (?, ?, ?, ?)"
                        : "UPDATE model_aliases SET version = ?, updated_at = ? WHERE name = ? AND alias = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (to != null) {
                ps.setInt(i++, to);
                ps.setLong(i++, now);
            }
            ps.setString(i++, name);
            ps.setString(i, alias);
            ps.executeUpdate();
        }
    }

    List<AliasChange> history(String name) {
        List<AliasChange> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT name, alias, from_version, to_version, changed_by, "
                        + "changed_at, reason FROM model_alias_history WHERE name = ? ORDER BY id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AliasChange(rs.getString(1), rs.getString(2), nullableInt(rs, 3), nullableInt(rs, 4),
                            rs.getString(5), rs.getLong(6), rs.getString(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read alias history of " + name, e);
        }
    }

    boolean delete(String name, int version) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c
                        .prepareStatement("DELETE FROM model_versions WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("delete model " + name + " v" + version, e);
        }
    }

    private Map<String, Integer> aliases(Connection c, String name) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c
                .prepareStatement("SELECT alias, version FROM model_aliases WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<ModelVersion> versions(String where, Binder binder) {
        List<ModelVersion> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM model_versions " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ModelVersion(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(15), tree(rs.getString(8)),
                            tree(rs.getString(9)),
                            tree(rs.getString(10)), tree(rs.getString(11)), tree(rs.getString(12)), rs.getLong(13),
                            rs.getString(14), List.of(), rs.getString(16), rs.getString(17), lineageId(rs)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read model versions", e);
        }
    }

    /** Versions registered before metadata signatures existed (V7): the registry signs them at start. */
    List<ModelVersion> unsignedMetadata() {
        return versions("WHERE metadata_signature IS NULL ORDER BY name, version", ps -> {});
    }

    void setMetadataSignature(String name, int version, String signature) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE model_versions SET metadata_signature = ? WHERE name = ? AND version = ?")) {
            ps.setString(1, signature);
            ps.setString(2, name);
            ps.setInt(3, version);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("sign the metadata of " + name + " v" + version, e);
        }
    }

    /** The highest version number ever registered under {@code name}, 0 when none (deleted ones count). */
    int maxVersion(String name) {
        return new VersionRows(db).last(name);
    }

    /** Rows written before V11 have no stored lineage id: computed from their lineage. */
    private static String lineageId(ResultSet rs) throws SQLException {
        String id = rs.getString(18);
        return id != null ? id : ModelVersion.lineageIdOf(tree(rs.getString(11)));
    }

    private static void setNullableInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static Integer nullableInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static String text(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new EdgeException("Corrupt JSON in the model registry: " + e.getMessage(), e);
        }
    }

    private static EdgeException failure(String what, SQLException e) {
        return new EdgeException("Cannot " + what + ": " + e.getMessage(), e);
    }
}
