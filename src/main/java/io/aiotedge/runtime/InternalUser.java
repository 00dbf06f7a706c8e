package io.aiotedge.runtime;

import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Role;
import io.aiotedge.core.auth.StoredUser;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The service user of a node's own MQTT clients (inference, gateway, simulator) that connect to
 * the node's broker without a configured user: made per start with a random password, known only
 * to this process, never written to the config or the disk. Without it those clients would log in
 * anonymously and be refused outside {@code demo}.
 */
record InternalUser(String username, String password, StoredUser stored) {
    static final String SOURCE = "internal";

    static InternalUser create() {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String suffix = Integer.toHexString(random.nextInt() & 0xffffff);
        // 192 random bits need no key stretching: the hasher's minimum keeps startup fast
        String hash = new PasswordHasher(random, 10_000).hash(password.toCharArray());
        return new InternalUser("node-internal-" + suffix, password, new StoredUser(hash, Role.SERVICE));
    }
}
