package io.aiotedge.api;

import io.aiotedge.config.ApiUser.Level;
import io.aiotedge.core.auth.AuthFailureLimiter;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import io.aiotedge.devices.DeviceAuthenticator;
import io.aiotedge.devices.NodeTokens;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bearer-token checks. No {@code Authorization: Bearer} header: 401 (with
 * {@code WWW-Authenticate}). A token that is not valid for the call, whether unknown or of the
 * wrong kind (a device token on an admin call, another device's token): 403. Failed device-token
 * checks (each a PBKDF2) are limited per client address and per device id: past the allowance
 * 429, before any hash is computed.
 *
 * <p>Without an {@code Authorization} header, the console's session cookie is the credential:
 * {@link #reader} needs a viewer, {@link #operator} an operator, {@link #admin} an admin; a
 * POST, PUT or DELETE by cookie also needs the session's CSRF token in {@code X-CSRF-Token} and,
 * when an {@code Origin} header is sent, this server's own origin or {@code api.publicOrigin}. Bearer calls are exempt from
 * CSRF (a header is not an ambient credential). Thread-safe.
 */
final class ApiAuth {
    private final Supplier<String> adminToken;
    private final DeviceAuthenticator devices;
    private final NodeTokens nodes;
    private final AuthFailureLimiter failures;
    private final Sessions sessions;

    /**
     * @param devices null on a node without the device registry: only the admin token is valid
     * @param nodes the model-download tokens of inference nodes, or null when there are none
     * @param failures limits failed device-token checks
     */
    ApiAuth(Supplier<String> adminToken, DeviceAuthenticator devices, NodeTokens nodes, AuthFailureLimiter failures,
            Sessions sessions) {
        this.adminToken = adminToken;
        this.devices = devices;
        this.nodes = nodes;
        this.failures = failures;
        this.sessions = sessions;
    }

    /** With the default allowance ({@code api.authFailureBurst} 10, 6 a minute) and no sessions. */
    ApiAuth(Supplier<String> adminToken, DeviceAuthenticator devices, NodeTokens nodes) {
        this(adminToken, devices, nodes, new AuthFailureLimiter(10, 6, 100_000, System::nanoTime), null);
    }

    AuthFailureLimiter failures() {
        return failures;
    }

    Sessions sessions() {
        return sessions;
    }

    /** Every read: a signed-in user of any role, or the admin token. */
    Principal reader(Context ctx) {
        return role(ctx, Level.VIEWER);
    }

    /** Acknowledge, revoke: an operator or admin user, or the admin token. */
    Principal operator(Context ctx) {
        return role(ctx, Level.OPERATOR);
    }

    private Principal role(Context ctx, Level needed) {
        Principal s = fromSession(ctx, needed);
        if (s != null) {
            return s;
        }
        if (isAdmin(token(ctx))) {
            return new Principal("admin", Role.ADMIN, "api-token");
        }
        throw new ForbiddenResponse("this call needs a signed-in " + needed.id() + " or the admin token");
    }

    /**
     * The signed-in user when the call carries no Authorization header but a session cookie (null
     * when it has neither: the Bearer checks then answer 401). An ended session: 401; a role
     * below {@code needed}: 403; a write without the CSRF token or from another origin: 403.
     */
    private Principal fromSession(Context ctx, Level needed) {
        if (sessions == null || ctx.header("Authorization") != null) {
            return null;
        }
        String cookie = ctx.cookie(Sessions.COOKIE);
        if (cookie == null) {
            return null;
        }
        Sessions.Session s = sessions.find(cookie)
                .orElseThrow(() -> new UnauthorizedResponse("the session has ended: sign in again"));
        if (!s.role.atLeast(needed)) {
            throw new ForbiddenResponse("this call needs the " + needed.id() + " role; " + s.user + " is a "
                    + s.role.id());
        }
        if (isWrite(ctx)) {
            checkCsrf(ctx, sessions, s);
        }
        return new Principal(s.user, s.role == Level.ADMIN ? Role.ADMIN : Role.SERVICE, "session");
    }

    /**
     * A browser's {@code Origin}, when it sends one, must be this node's own or its configured
     * public origin (no cross-site write or sign-in).
     */
    static void checkOrigin(Context ctx, Sessions sessions) {
        String origin = ctx.header("Origin");
        if (origin != null && !sessions.allowsOrigin(origin, ctx.scheme() + "://" + ctx.host())) {
            throw new ForbiddenResponse("cross-origin request refused");
        }
    }

    static boolean isWrite(Context ctx) {
        HandlerType m = ctx.method();
        return m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.DELETE || m == HandlerType.PATCH;
    }

    static void checkCsrf(Context ctx, Sessions sessions, Sessions.Session s) {
        checkOrigin(ctx, sessions);
        String sent = ctx.header("X-CSRF-Token");
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                s.csrf.getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenResponse("csrf token missing or wrong");
        }
    }

    /** A model download: the admin, any valid device, or an inference node's download token. */
    Principal modelDownload(Context ctx) {
        String token = token(ctx);
        if (nodes != null && token.startsWith(NodeTokens.PREFIX)) {
            return nodes.authenticate(token).orElseThrow(() -> new ForbiddenResponse("the node token is not valid"));
        }
        return anyone(ctx);
    }

    /** Inference node {@code nodeId} itself, by its node token (its report). */
    Principal node(Context ctx, String nodeId) {
        String token = token(ctx);
        if (nodes != null && token.startsWith(NodeTokens.PREFIX)) {
            Principal p = nodes.authenticate(token)
                    .orElseThrow(() -> new ForbiddenResponse("the node token is not valid"));
            if (p.name().equals(nodeId)) {
                return p;
            }
        }
        throw new ForbiddenResponse("this call needs node " + nodeId + "'s token");
    }

    Principal admin(Context ctx) {
        Principal s = fromSession(ctx, Level.ADMIN);
        if (s != null) {
            return s;
        }
        String token = token(ctx);
        if (isAdmin(token)) {
            return new Principal("admin", Role.ADMIN, "api-token");
        }
        throw new ForbiddenResponse("this call needs the admin token");
    }

    /** The admin, or the device {@code deviceId} itself. */
    Principal adminOrDevice(Context ctx, String deviceId) {
        Principal s = fromSession(ctx, isWrite(ctx) ? Level.ADMIN : Level.VIEWER);
        if (s != null) {
            return s;
        }
        String token = token(ctx);
        if (isAdmin(token)) {
            return new Principal("admin", Role.ADMIN, "api-token");
        }
        Optional<Principal> d = device(ctx, token);
        if (d.isPresent() && d.get().name().equals(deviceId)) {
            return d.get();
        }
        throw new ForbiddenResponse("this call needs the admin token or device " + deviceId + "'s token");
    }

    /** The admin or any valid device. */
    Principal anyone(Context ctx) {
        Principal s = fromSession(ctx, isWrite(ctx) ? Level.ADMIN : Level.VIEWER);
        if (s != null) {
            return s;
        }
        String token = token(ctx);
        if (isAdmin(token)) {
            return new Principal("admin", Role.ADMIN, "api-token");
        }
        return device(ctx, token).orElseThrow(() -> new ForbiddenResponse("the token is not valid"));
    }

    private Optional<Principal> device(Context ctx, String token) {
        if (devices == null) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        String[] keys = {"addr:" + ctx.ip(), "id:" + (dot > 0 ? token.substring(0, dot) : token)};
        if (!failures.allowed(keys)) {
            throw new HttpResponseException(429, "too many failed token checks, try again later");
        }
        Optional<Principal> d = devices.authenticateToken(token);
        if (d.isEmpty()) {
            failures.failed(keys);
        }
        return d;
    }

    boolean presentsAdmin(Context ctx) {
        String h = ctx.header("Authorization");
        return h != null && h.startsWith("Bearer ") && isAdmin(h.substring(7).trim());
    }

    boolean isAdmin(String token) {
        String expected = adminToken.get();
        return expected != null && !expected.isEmpty() && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private static String token(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.substring(7).isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"aiot-edge\"");
            throw new UnauthorizedResponse("an Authorization: Bearer <token> header is required");
        }
        return h.substring(7).trim();
    }
}
