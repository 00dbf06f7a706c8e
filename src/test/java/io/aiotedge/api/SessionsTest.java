package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ApiUser.Level;
import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.PlatformConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Sessions and sign-in links against a clock the test moves: idle and absolute expiry, the cap, single use. */
class SessionsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private Sessions sessions(String... sets) {
        PlatformConfig config = new ConfigLoader(k -> null).load(null, List.of(sets)).config().platform();
        return new Sessions(config, false, clock);
    }

    @Test
    void aSession_endsAfterTheIdleTime_withoutACall() {
        Sessions s = sessions("api.sessionIdleMinutes=10");
        Sessions.Created c = s.create("ana", Level.OPERATOR, "password");
        now.addAndGet(9 * 60_000L);
        assertTrue(s.find(c.cookie()).isPresent(), "a call within the idle time keeps it");
        now.addAndGet(9 * 60_000L);
        assertTrue(s.find(c.cookie()).isPresent(), "18 minutes old, but used 9 minutes ago");
        now.addAndGet(10 * 60_000L);
        assertTrue(s.find(c.cookie()).isEmpty(), "10 minutes without a call end it");
    }

    @Test
    void aSession_endsAtItsAbsoluteLifetime_evenWhenUsed() {
        Sessions s = sessions("api.sessionMinutes=30", "api.sessionIdleMinutes=20");
        Sessions.Created c = s.create("ana", Level.VIEWER, "password");
        for (int i = 0; i < 2; i++) {
            now.addAndGet(14 * 60_000L);
            assertTrue(s.find(c.cookie()).isPresent());
        }
        now.addAndGet(2 * 60_000L);
        assertTrue(s.find(c.cookie()).isEmpty());
    }

    @Test
    void pastMaxSessions_theOldestEnds_andEachSessionHasItsOwnCsrfToken() {
        Sessions s = sessions("api.maxSessions=2");
        Sessions.Created first = s.create("a", Level.VIEWER, "password");
        now.incrementAndGet();
        Sessions.Created second = s.create("b", Level.VIEWER, "password");
        now.incrementAndGet();
        Sessions.Created third = s.create("c", Level.VIEWER, "password");
        assertEquals(2, s.size());
        assertTrue(s.find(first.cookie()).isEmpty());
        assertTrue(s.find(second.cookie()).isPresent() && s.find(third.cookie()).isPresent());
        assertNotEquals(second.session().csrf, third.session().csrf);
        assertEquals(43, third.cookie().length(), "256 bits, base64url");
    }

    @Test
    void aSignInLink_worksOnce_andNotAfterTenMinutes() {
        Sessions s = sessions();
        String code = s.link(Level.VIEWER);
        assertEquals(Level.VIEWER, s.redeem(code).orElseThrow().session().role);
        assertTrue(s.redeem(code).isEmpty(), "spent");
        String late = s.link(Level.ADMIN);
        now.addAndGet(Sessions.LINK_MILLIS);
        assertTrue(s.redeem(late).isEmpty(), "expired");
        assertTrue(s.redeem("").isEmpty() && s.redeem(null).isEmpty());
    }

    @Test
    void logout_endsOnlyThatSession() {
        Sessions s = sessions();
        Sessions.Created a = s.create("a", Level.ADMIN, "token");
        Sessions.Created b = s.create("b", Level.VIEWER, "password");
        s.end(a.cookie());
        assertTrue(s.find(a.cookie()).isEmpty());
        assertTrue(s.find(b.cookie()).isPresent());
    }
}
