package io.aiotedge.config;

import io.aiotedge.core.auth.PasswordHasher;
import java.util.Locale;

/**
 * A console/API user from the config file ({@code api.users[]}): signs in with a password into a
 * session cookie. The password is kept only as a {@link PasswordHasher} hash
 * ({@code aiot-edge users hash}). Not an MQTT identity: MQTT roles stay in {@code mqtt.users}.
 */
public record ApiUser(String username, String passwordHash, Level role) {

    /** What a user may do: viewer reads, operator also acknowledges and revokes, admin everything. */
    public enum Level {
        VIEWER, OPERATOR, ADMIN;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether this level includes everything {@code other} may do. */
        public boolean atLeast(Level other) {
            return compareTo(other) >= 0;
        }
    }

    static ApiUser read(ConfigReader r) {
        String name = r.nonBlank("username");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            r.problem("username", "must be 1-64 of A-Z a-z 0-9 . _ @ - starting with a letter or digit, got '"
                    + name + "'");
        }
        String hash = r.string("passwordHash");
        String hashProblem = PasswordHasher.problemWith(hash);
        if (hashProblem != null) {
            r.problem("passwordHash", hashProblem);
        }
        String role = r.string("role");
        Level level = Level.VIEWER;
        try {
            level = Level.valueOf(role.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            r.problem("role", "must be one of [viewer, operator, admin], got '" + role + "'");
        }
        return new ApiUser(name, hash, level);
    }

    @Override
    public String toString() {
        return "ApiUser[" + username + ", role=" + role.id() + "]";
    }
}
