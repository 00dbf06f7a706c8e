package io.aiotedge.api;

import io.aiotedge.config.ApiUser;
import io.aiotedge.config.ApiUser.Level;
import io.aiotedge.config.PlatformConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's sign-in sessions and one-time sign-in links, in memory only (a restart signs
 * everyone out). A session id is 256 random bits handed to the browser once, in the cookie; only
 * its SHA-256 is kept, so a heap dump does not hold usable cookies. Each session has its own CSRF
 * token, an absolute and an idle expiry; at most {@code api.maxSessions} live, the oldest is ended
 * beyond. Links are single-use and expire after {@link #LINK_MILLIS}; each is issued for a named
 * user, whom the session it opens records. Thread-safe.
 */
public final class Sessions {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);
    public static final String COOKIE = "aiot_session";
    static final long LINK_MILLIS = 10 * 60_000L;
    private static final int MAX_LINKS = 64;

    /** A live session; {@code lastUsed} moves with each call. */
    static final class Session {
        final String user;
        final Level role;
        final String via;
        /** Who issued the one-time link that opened it (null for other sessions). */
        final String issuedBy;
        final String csrf;
        final long createdAt;
        final long expiresAt;
        volatile long lastUsed;

        Session(String user, Level role, String via, String issuedBy, String csrf, long createdAt, long expiresAt) {
            this.user = user;
            this.role = role;
            this.via = via;
            this.issuedBy = issuedBy;
            this.csrf = csrf;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
            this.lastUsed = createdAt;
        }
    }

    /** A new session and the cookie value that opens it (shown only here). */
    record Created(String cookie, Session session) {
    }

    private record Link(String user, Level role, String issuer, long expiresAt) {
    }

    private final Map<String, ApiUser> users = new LinkedHashMap<>();
    private final long absoluteMillis;
    private final long idleMillis;
    private final int maxSessions;
    private final boolean secureCookies;
    private final String publicOrigin;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Link> links = new ConcurrentHashMap<>();

    /**
     * @param tls whether the HTTP listener speaks TLS; the cookie then gets {@code Secure}, as it
     *     does when {@code api.publicOrigin} is an https origin (TLS ends at a proxy in front)
     */
    public Sessions(PlatformConfig config, boolean tls, Clock clock) {
        config.users().forEach(u -> users.put(u.username(), u));
        this.absoluteMillis = config.sessionMinutes() * 60_000L;
        this.idleMillis = config.sessionIdleMinutes() * 60_000L;
        this.maxSessions = config.maxSessions();
        this.publicOrigin = config.publicOrigin();
        this.secureCookies = tls || publicOrigin.startsWith("https://");
        this.clock = clock;
    }

    Optional<ApiUser> user(String username) {
        return Optional.ofNullable(users.get(username));
    }

    /** A configured user's hash (to spend the same time on an unknown name), null without users. */
    String anyHash() {
        return users.isEmpty() ? null : users.values().iterator().next().passwordHash();
    }

    boolean secureCookies() {
        return secureCookies;
    }

    /**
     * Whether a browser's {@code Origin} is one this node answers as: the listener's own
     * ({@code own}, scheme://host[:port] of the request) or exactly {@code api.publicOrigin}.
     */
    boolean allowsOrigin(String origin, String own) {
        return origin.equals(own) || !publicOrigin.isEmpty() && origin.equals(publicOrigin);
    }

    int cookieMaxAgeSeconds() {
        return (int) (absoluteMillis / 1000);
    }

    Created create(String user, Level role, String via) {
        return create(user, role, via, null);
    }

    private Created create(String user, Level role, String via, String issuedBy) {
        long now = clock.millis();
        String cookie = randomToken();
        Session s = new Session(user, role, via, issuedBy, randomToken(), now, now + absoluteMillis);
        sessions.put(sha256(cookie), s);
        evictBeyondLimit(now);
        log.info("Session opened for {} ({}, by {}{})", user, role.id(), via,
                issuedBy == null ? "" : " issued by " + issuedBy);
        return new Created(cookie, s);
    }

    /** The live session of a cookie value, its idle clock reset; empty when unknown or expired. */
    Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        String key = sha256(cookie);
        Session s = sessions.get(key);
        if (s == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        if (expired(s, now)) {
            sessions.remove(key, s);
            return Optional.empty();
        }
        s.lastUsed = now;
        return Optional.of(s);
    }

    /** Whether {@code cookie} still signs someone in, without counting as use (an open stream is not activity). */
    boolean alive(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return false;
        }
        Session s = sessions.get(sha256(cookie));
        return s != null && !expired(s, clock.millis());
    }

    void end(String cookie) {
        if (cookie != null && !cookie.isEmpty() && cookie.length() <= 100) {
            sessions.remove(sha256(cookie));
        }
    }

    int size() {
        return sessions.size();
    }

    /**
     * A one-time sign-in code that opens a session for {@code user} with {@code role}; the session
     * also records {@code issuer}, so a link an admin issued for someone else and used himself shows.
     */
    String link(String user, Level role, String issuer) {
        long now = clock.millis();
        links.entrySet().removeIf(e -> e.getValue().expiresAt() <= now);
        if (links.size() >= MAX_LINKS) {
            throw new io.javalin.http.HttpResponseException(429, "too many open sign-in links; use one first");
        }
        String code = randomToken();
        links.put(sha256(code), new Link(user, role, issuer, now + LINK_MILLIS));
        return code;
    }

    long linkExpiry() {
        return clock.millis() + LINK_MILLIS;
    }

    /** Spends a sign-in code: a new session, or empty when the code is unknown, spent or expired. */
    Optional<Created> redeem(String code) {
        if (code == null || code.isEmpty() || code.length() > 100) {
            return Optional.empty();
        }
        Link l = links.remove(sha256(code));
        if (l == null || l.expiresAt() <= clock.millis()) {
            return Optional.empty();
        }
        return Optional.of(create(l.user(), l.role(), "link", l.issuer()));
    }

    private boolean expired(Session s, long now) {
        return now >= s.expiresAt || now - s.lastUsed >= idleMillis;
    }

    private void evictBeyondLimit(long now) {
        if (sessions.size() <= maxSessions) {
            return;
        }
        sessions.entrySet().removeIf(e -> expired(e.getValue(), now));
        while (sessions.size() > maxSessions) {
            sessions.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().createdAt))
                    .ifPresent(e -> sessions.remove(e.getKey(), e.getValue()));
        }
    }

    private String randomToken() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
