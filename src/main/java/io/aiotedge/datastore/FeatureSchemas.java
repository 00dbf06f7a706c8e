package io.aiotedge.datastore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code feature_schemas} table with a cache both ways (a schema row never changes). A schema
 * is found by the SHA-256 of its comma-joined names (unique since V9, so names of any length fit
 * PostgreSQL's index); two writers storing the same new schema at once end with one row, the loser
 * reading the winner's id. Thread-safe.
 */
final class FeatureSchemas {
    /** comma-joined feature names -> schema id. */
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, List<String>> namesById = new ConcurrentHashMap<>();

    /** The id of the schema {@code names}, stored first when new (autocommit connection). */
    int id(Connection c, List<String> names) throws SQLException {
        String key = String.join(",", names);
        Integer id = ids.get(key);
        if (id != null) {
            return id;
        }
        // unique by the hash of the names (V9): any length of names fits PostgreSQL's index
        String hash = sha256(key);
        id = findSchema(c, hash);
        if (id == null) {
            try (PreparedStatement ps = c
                    .prepareStatement("INSERT INTO feature_schemas (names, names_sha256) VALUES (?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, hash);
                ps.executeUpdate(); // autocommit: a violation aborts only this statement
            } catch (SQLException e) {
                if (!FeatureStore.isUniqueViolation(e)) {
                    throw e;
                }
            }
            id = findSchema(c, hash); // ours, or the one a concurrent writer stored first
            if (id == null) {
                throw new SQLException("feature schema '" + key + "' was neither stored nor found");
            }
        }
        ids.put(key, id);
        namesById.put(id, List.copyOf(names));
        return id;
    }

    private static Integer findSchema(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM feature_schemas WHERE names_sha256 = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> names(Connection c, int schemaId) throws SQLException {
        List<String> n = namesById.get(schemaId);
        if (n != null) {
            return n;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT names FROM feature_schemas WHERE id = ?")) {
            ps.setInt(1, schemaId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("feature schema " + schemaId + " is missing");
                }
                n = List.copyOf(Arrays.asList(rs.getString(1).split(",", -1)));
            }
        }
        namesById.put(schemaId, n);
        return n;
    }
}
