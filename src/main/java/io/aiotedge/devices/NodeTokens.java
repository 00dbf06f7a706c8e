package io.aiotedge.devices;

import io.aiotedge.core.EdgeException;
import io.aiotedge.core.Rejection;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Model-download tokens for inference nodes: {@code node:<id>.<secret>}, a 256-bit random secret of
 * which only the SHA-256 is stored (a secret that long needs no key stretching). Such a token
 * opens the model download routes and its own node's report route ({@link #SCOPE}), nothing else. Provisioned and revoked by an admin like a
 * device; a node that runs the platform role gives its own inference role an in-memory token per
 * start ({@link #ephemeral}). Revocation is checked on every use. Thread-safe.
 */
public final class NodeTokens {
    public static final String PREFIX = "node:";
    public static final String SOURCE = "node-token";
    /** What a node token opens: the model downloads and the node's own report route. */
    public static final String SCOPE = "model-download,report";

    private final Supplier<DataSource> db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** id -> secret SHA-256 of the tokens made for this process only. */
    private final Map<String, String> ephemeral = new ConcurrentHashMap<>();

    public NodeTokens(Supplier<DataSource> db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A stored node: id, created, revoked (0 = active). */
    public record Node(String id, long createdAt, String createdBy, long revokedAt) {
    }

    /** Issues a token for {@code id}; shown once. A revoked id may be issued again. */
    public String provision(String id, String actor) {
        DeviceIdRule.require("id", id);
        String secret = secret();
        Optional<Node> existing = find(id);
        if (existing.isPresent() && existing.get().revokedAt() == 0) {
            throw Rejection.conflict("node " + id + " already has a token; revoke it first");
        }
        update(existing.isPresent()
                ? "UPDATE node_tokens SET secret_sha = ?, created_at = ?, created_by = ?, revoked_at = NULL WHERE id = ?"
                : "INSERT INTO node_tokens (secret_sha, created_at, created_by, id) VALUES (?, ?, ?, ?)",
                sha256(secret), clock.millis(), actor, id);
        return PREFIX + id + "." + secret;
    }

    public void revoke(String id) {
        DeviceIdRule.require("id", id);
        if (find(id).filter(n -> n.revokedAt() == 0).isEmpty()) {
            throw Rejection.notFound("node " + id);
        }
        update("UPDATE node_tokens SET revoked_at = ? WHERE id = ?", clock.millis(), id);
    }

    public List<Node> list() {
        List<Node> out = new ArrayList<>();
        try (Connection c = db.get().getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT id, created_at, created_by, revoked_at FROM node_tokens ORDER BY id")) {
            while (rs.next()) {
                out.add(new Node(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
            }
            return out;
        } catch (SQLException e) {
            throw new EdgeException("Cannot list node tokens: " + e.getMessage(), e);
        }
    }

    /** A token for this process only (the co-located inference role), never stored. */
    public String ephemeral(String id) {
        String secret = secret();
        ephemeral.put(id, sha256(secret));
        return PREFIX + id + "." + secret;
    }

    /** The node a {@code node:<id>.<secret>} token belongs to, if it is valid and not revoked. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        String id = dot > PREFIX.length() ? token.substring(PREFIX.length(), dot) : "";
        if (!DeviceIdRule.valid(id) || dot == token.length() - 1) {
            return Optional.empty();
        }
        byte[] presented = sha256(token.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII);
        String expected = ephemeral.get(id);
        if (expected == null) {
            expected = storedSha(id).orElse(null);
        }
        if (expected == null || !MessageDigest.isEqual(presented, expected.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new Principal(id, Role.SERVICE, SOURCE));
    }

    private Optional<Node> find(String id) {
        return list().stream().filter(n -> n.id().equals(id)).findFirst();
    }

    private Optional<String> storedSha(String id) {
        try (Connection c = db.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT secret_sha FROM node_tokens WHERE id = ? AND revoked_at IS NULL")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new EdgeException("Cannot read node tokens: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new EdgeException("Cannot write node tokens: " + e.getMessage(), e);
        }
    }

    private String secret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
