package io.aiotedge.core.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes in a self-describing text form:
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>}. Stateless apart from the
 * random source; thread-safe.
 */
public final class PasswordHasher {
    public static final String PREFIX = "pbkdf2-sha256";
    /** OWASP 2023 guidance for PBKDF2-HMAC-SHA256 is 600k; edge boards are slow, 210k keeps ~0.2 s on a Pi. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    private static final int MIN_ITERATIONS = 10_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final SecureRandom random;
    private final int iterations;

    public PasswordHasher(SecureRandom random, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("Iterations must be at least " + MIN_ITERATIONS + ", got " + iterations);
        }
        this.random = random;
        this.iterations = iterations;
    }

    public PasswordHasher() {
        this(new SecureRandom(), DEFAULT_ITERATIONS);
    }

    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] h = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /** Constant-time check; false (never an exception) for a malformed stored hash. */
    public static boolean verify(char[] password, String stored) {
        Parsed p = parse(stored);
        if (p == null || password == null) {
            return false;
        }
        return MessageDigest.isEqual(derive(password, p.salt, p.iterations), p.hash);
    }

    /** Null when {@code stored} is well-formed, else the reason it is not. */
    public static String problemWith(String stored) {
        if (stored == null || stored.isBlank()) {
            return "is empty";
        }
        return parse(stored) == null
                ? "is not a hash of the form " + PREFIX
                        + "$<iterations>$<salt>$<hash> (make one with 'aiot-edge users hash')"
                : null;
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return null;
        }
        try {
            int it = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (it < MIN_ITERATIONS || it > 10_000_000 || salt.length < 8 || hash.length != HASH_BITS / 8) {
                return null;
            }
            return new Parsed(it, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Overwrites a password after use. */
    public static void clear(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
