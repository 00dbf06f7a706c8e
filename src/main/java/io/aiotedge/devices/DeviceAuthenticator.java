package io.aiotedge.devices;

import io.aiotedge.core.auth.Authenticator;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registry devices: user name = device id, password = the secret issued at provisioning, refused
 * once revoked. The state is read from the database on every check, so a revocation takes effect
 * at once; the slow PBKDF2 check runs once per device and secret, after which the secret's SHA-256
 * is remembered (a reconnect storm of a fleet costs one hash each). Also checks HTTP device tokens
 * {@code <id>.<secret>}. An id that does not exist (or is revoked) costs a check against a dummy hash
 * of the same cost, so the answer time does not tell which ids exist. Thread-safe.
 */
public final class DeviceAuthenticator implements Authenticator {
    public static final String SOURCE = "registry";

    private final DeviceStore store;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final String dummyHash;
    private final AtomicLong dummyChecks = new AtomicLong();

    /** @param dummyHash a hash of a random secret, made by the same hasher as the devices' */
    DeviceAuthenticator(DeviceStore store, String dummyHash) {
        this.store = store;
        this.dummyHash = dummyHash;
    }

    /** How many checks ran against the dummy hash (unknown or revoked ids). */
    long dummyChecks() {
        return dummyChecks.get();
    }

    @Override
    public Optional<Principal> authenticate(String clientId, String username, char[] password) {
        if (username == null || password == null || !DeviceIdRule.valid(username)) {
            return Optional.empty();
        }
        Optional<DeviceStore.Credentials> cred = store.credentials(username);
        if (cred.isEmpty() || cred.get().state() == Device.State.REVOKED) {
            verified.remove(username);
            dummyChecks.incrementAndGet();
            PasswordHasher.verify(password, dummyHash); // as slow as a known id's wrong secret
            return Optional.empty();
        }
        byte[] fast = sha256(password, cred.get().secretHash());
        byte[] remembered = verified.get(username);
        boolean ok = remembered != null && MessageDigest.isEqual(remembered, fast)
                || PasswordHasher.verify(password, cred.get().secretHash());
        if (!ok) {
            return Optional.empty();
        }
        verified.put(username, fast);
        return Optional.of(new Principal(username, Role.DEVICE, SOURCE));
    }

    /** A bearer token {@code <id>.<secret>}: the device it belongs to, if valid. */
    public Optional<Principal> authenticateToken(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return Optional.empty();
        }
        char[] secret = token.substring(dot + 1).toCharArray();
        try {
            return authenticate("http", token.substring(0, dot), secret);
        } finally {
            PasswordHasher.clear(secret);
        }
    }

    void forget(String id) {
        verified.remove(id);
    }

    /** Bound to the stored hash too, so re-provisioning (a new hash) invalidates the memory. */
    private static byte[] sha256(char[] password, String storedHash) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(storedHash.getBytes(StandardCharsets.UTF_8));
            md.update(bytes);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }
}
