package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static PlatformConfig config(String... sets) {
        return new ConfigLoader(k -> null).load(null, List.of(sets)).config().platform();
    }

    private Sessions sessions(String... sets) {
        return new Sessions(config(sets), false, clock);
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
        String code = s.link("vera", Level.VIEWER, "admin");
        Sessions.Session opened = s.redeem(code).orElseThrow().session();
        assertEquals(Level.VIEWER, opened.role);
        assertEquals("vera", opened.user, "the session records the person the link was issued for, not the role");
        assertEquals("link", opened.via);
        assertEquals("admin", opened.issuedBy, "and who issued the link");
        assertTrue(s.redeem(code).isEmpty(), "spent");
        String late = s.link("admin", Level.ADMIN, "admin");
        now.addAndGet(Sessions.LINK_MILLIS);
        assertTrue(s.redeem(late).isEmpty(), "expired");
        assertTrue(s.redeem("").isEmpty() && s.redeem(null).isEmpty());
    }

    @Test
    void theCookieIsSecure_underTls_orBehindAnHttpsPublicOrigin_only() {
        assertFalse(sessions().secureCookies(), "plain http, no proxy");
        assertTrue(new Sessions(config(), true, clock).secureCookies(), "TLS listener");
        assertTrue(sessions("api.publicOrigin=https://edge.plant.local:8443").secureCookies());
        assertFalse(sessions("api.publicOrigin=http://edge.plant.local:8080").secureCookies());
    }

    @Test
    void theOriginCheck_acceptsTheListenersOwnAndExactlyThePublicOrigin() {
        Sessions s = sessions("api.publicOrigin=https://Edge.Plant.local:443/");
        String own = "http://10.0.0.5:8080";
        assertTrue(s.allowsOrigin(own, own));
        assertTrue(s.allowsOrigin("https://edge.plant.local", own), "normalised: lower case, no default port");
        for (String forged : new String[] {"https://edge.plant.local:8443", "http://edge.plant.local",
                "https://edge.plant.local.evil.example", "https://evil.example", "null", ""}) {
            assertFalse(s.allowsOrigin(forged, own), forged);
        }
        assertFalse(sessions().allowsOrigin("https://edge.plant.local", own), "no public origin: the own only");
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
