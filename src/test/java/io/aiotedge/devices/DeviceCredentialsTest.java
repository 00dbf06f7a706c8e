package io.aiotedge.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Role;
import io.aiotedge.storage.Database;
import io.aiotedge.support.Backend;
import io.aiotedge.support.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11 findings 8 and 9 on the registry itself (real H2 and PostgreSQL): who may log in without
 * credentials, what activates such a device, and that unknown ids cost a full hash; on H2 and
 * on PostgreSQL.
 */
class DeviceCredentialsTest {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();
    @TempDir
    Path dir;
    private Database db;
    private DeviceRegistry registry;

    private void start(Backend backend) throws Exception {
        db = backend.start(PG, dir);
        registry = new DeviceRegistry(db::dataSource, () -> null, new PasswordHasher(new SecureRandom(), 50_000),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        if (db != null) {
            db.stop();
        }
    }

    private boolean legacyLogin(String id) {
        return registry.legacyAuthenticator().authenticate(id, null, null)
                .filter(p -> p.role() == Role.LEGACY_DEVICE).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void apiProvisionedDevice_withASecret_neverLogsInByClientIdAlone(Backend backend) throws Exception {
        start(backend);
        Provisioned p = registry.provision("modern-1", null, Map.of());
        assertNull(p.activationCode());
        registry.activate("modern-1");
        assertFalse(legacyLogin("modern-1"));
        assertFalse(registry.confirmLegacy("modern-1", null), "/confirmActivation says FALSE");
        assertTrue(registry.authenticator().authenticate("modern-1", "modern-1", p.secret().toCharArray()).isPresent());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void compatDevice_isActivatedOnlyByTheAdminOrItsOneTimeCode(Backend backend) throws Exception {
        start(backend);
        Provisioned p = registry.provisionCompat("14333616", "reference-esp32", Map.of());
        assertNotNull(p.activationCode());
        assertFalse(registry.confirmLegacy("14333616", null), "the id alone activates nothing");
        assertFalse(registry.confirmLegacy("14333616", "not-the-code"));
        assertFalse(legacyLogin("14333616"));
        assertEquals(Device.State.PROVISIONED, registry.get("14333616").state());
        assertTrue(registry.confirmLegacy("14333616", p.activationCode()));
        assertTrue(legacyLogin("14333616"));
        assertTrue(registry.confirmLegacy("14333616", null), "an active compat device is confirmed on every boot");

        registry.provisionCompat("14333617", "reference-esp32", Map.of());
        registry.activate("14333617"); // the admin step
        assertTrue(registry.confirmLegacy("14333617", null));
        assertTrue(legacyLogin("14333617"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void activationCode_isOneTime_andDiesWithARevocation(Backend backend) throws Exception {
        start(backend);
        Provisioned first = registry.provisionCompat("chip-9", "reference-esp32", Map.of());
        registry.revoke("chip-9");
        assertFalse(registry.confirmLegacy("chip-9", first.activationCode()));
        Provisioned second = registry.provisionCompat("chip-9", "reference-esp32", Map.of());
        assertFalse(registry.confirmLegacy("chip-9", first.activationCode()), "the old code is dead");
        assertTrue(registry.confirmLegacy("chip-9", second.activationCode()));
        registry.revoke("chip-9");
        assertFalse(registry.confirmLegacy("chip-9", second.activationCode()));
        assertFalse(legacyLogin("chip-9"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unknownId_spendsADummyHash_soItAnswersAsSlowlyAsAWrongSecret(Backend backend) throws Exception {
        start(backend);
        registry.provision("known-1", null, Map.of());
        DeviceAuthenticator auth = registry.authenticator();
        char[] wrong = "wrong-secret".toCharArray();
        long before = auth.dummyChecks();
        long[] known = new long[7];
        long[] unknown = new long[7];
        for (int i = 0; i < known.length; i++) {
            long t0 = System.nanoTime();
            assertTrue(auth.authenticate("c", "known-1", wrong.clone()).isEmpty());
            long t1 = System.nanoTime();
            assertTrue(auth.authenticate("c", "ghost-" + i, wrong.clone()).isEmpty());
            unknown[i] = System.nanoTime() - t1;
            known[i] = t1 - t0;
        }
        assertEquals(before + known.length, auth.dummyChecks(), "one dummy check per unknown id, none for known ones");
        Arrays.sort(known);
        Arrays.sort(unknown);
        long k = known[known.length / 2];
        long u = unknown[unknown.length / 2];
        // same PBKDF2 either way: medians within a factor of 4, however busy the box (was ~100x)
        assertTrue(u * 4 > k && k * 4 > u, "median unknown " + u / 1000 + " us vs known " + k / 1000 + " us");
    }
}
