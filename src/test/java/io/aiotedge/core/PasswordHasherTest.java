package io.aiotedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import io.aiotedge.core.auth.StaticUserAuthenticator;
import io.aiotedge.core.auth.StoredUser;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(new SecureRandom(), 10_000);

    @Test
    void verify_rightPassword_true_wrongPassword_false() {
        String h = hasher.hash("s3cret".toCharArray());
        assertTrue(PasswordHasher.verify("s3cret".toCharArray(), h));
        assertFalse(PasswordHasher.verify("s3cret ".toCharArray(), h));
        assertFalse(PasswordHasher.verify(new char[0], h));
    }

    @Test
    void hash_samePasswordTwice_differsBySalt() {
        assertNotEquals(hasher.hash("a".toCharArray()), hasher.hash("a".toCharArray()));
    }

    @Test
    void verify_malformedStoredHash_falseNotException() {
        for (String bad : new String[] {"", "plain", "pbkdf2-sha256$1$AA$AA", "pbkdf2-sha256$x$y$z",
                "pbkdf2-sha256$20000$!!!$AAAA", "md5$1$2$3"}) {
            assertFalse(PasswordHasher.verify("a".toCharArray(), bad), bad);
            assertTrue(PasswordHasher.problemWith(bad) != null, bad);
        }
        assertNull(PasswordHasher.problemWith(hasher.hash("a".toCharArray())));
    }

    @Test
    void constructor_tooFewIterations_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(new SecureRandom(), 1000));
    }

    @Test
    void staticUsers_rememberedPassword_stillRefusesWrongOne() {
        StaticUserAuthenticator auth = new StaticUserAuthenticator(
                Map.of("gw", new StoredUser(hasher.hash("pw".toCharArray()), Role.SERVICE)), "config");
        Optional<Principal> p = auth.authenticate("c", "gw", "pw".toCharArray());
        assertEquals(Role.SERVICE, p.orElseThrow().role());
        assertTrue(auth.authenticate("c", "gw", "pw".toCharArray()).isPresent(), "fast path after first success");
        assertTrue(auth.authenticate("c", "gw", "pW".toCharArray()).isEmpty());
        assertTrue(auth.authenticate("c", "nobody", "pw".toCharArray()).isEmpty());
        assertTrue(auth.authenticate("c", null, null).isEmpty());
    }
}
