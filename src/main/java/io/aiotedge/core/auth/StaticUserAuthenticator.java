package io.aiotedge.core.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates against a fixed user list (the config file's). PBKDF2 is deliberately slow
 * (~0.1 s), so a reconnect storm of a whole fleet would cost minutes of CPU; after one successful
 * slow check the SHA-256 of the accepted password is remembered in memory and later connects of
 * that user compare against it. A wrong password always takes the slow path. Thread-safe.
 */
public final class StaticUserAuthenticator implements Authenticator {
    private final Map<String, StoredUser> users;
    private final String source;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    public StaticUserAuthenticator(Map<String, StoredUser> users, String source) {
        this.users = Map.copyOf(users);
        this.source = source;
    }

    @Override
    public Optional<Principal> authenticate(String clientId, String username, char[] password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        StoredUser user = users.get(username);
        if (user == null) {
            return Optional.empty();
        }
        byte[] fast = sha256(password);
        byte[] remembered = verified.get(username);
        boolean ok = remembered != null && MessageDigest.isEqual(remembered, fast)
                || PasswordHasher.verify(password, user.passwordHash());
        if (!ok) {
            return Optional.empty();
        }
        verified.put(username, fast);
        return Optional.of(new Principal(username, user.role(), source));
    }

    private static byte[] sha256(char[] password) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (bytes.hasArray()) {
                java.util.Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }
}
