package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.config.ApiUser;
import io.aiotedge.config.ApiUser.Level;
import io.aiotedge.core.Rejection;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpResponseException;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/session}: sign in (user and password, or the admin token) into a session cookie,
 * show it, sign out; one-time sign-in links ({@code /api/v1/session/links}, spent at
 * {@code /console/signin}). Failed sign-ins count against the same limiter as failed device tokens.
 */
final class SessionApi {
    private static final Logger log = LoggerFactory.getLogger(SessionApi.class);
    private static final String WRONG = "wrong user name, password or token";

    private final ApiAuth auth;
    private final Sessions sessions;

    SessionApi(ApiAuth auth) {
        this.auth = auth;
        this.sessions = auth.sessions();
    }

    void install(Javalin app) {
        app.post("/api/v1/session", this::signIn);
        app.get("/api/v1/session", this::show);
        app.delete("/api/v1/session", this::signOut);
        app.post("/api/v1/session/links", this::createLink);
        app.get("/console/signin", ctx -> {
            Optional<Sessions.Created> c = sessions.redeem(ctx.queryParam("code"));
            if (c.isEmpty()) {
                ctx.redirect("/console/?signin=expired", io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            ctx.cookie(cookie(c.get().cookie(), sessions.cookieMaxAgeSeconds()));
            ctx.header("Cache-Control", "no-store");
            ctx.redirect("/console/", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    }

    /**
     * A link for a user of {@code api.users} ({@code user}; its role, or a lower one) or, without
     * {@code user}, for the admin who asks (any role): the session it opens records that name, so
     * what is done through it (an acknowledgement, a promotion) says who.
     */
    private void createLink(Context ctx) {
        Principal issuer = auth.admin(ctx);
        JsonNode body = ctx.body().isBlank() ? null : Bodies.jsonObject(ctx);
        String forUser = body == null ? null : Bodies.optionalText(body, "user");
        String roleText = body == null ? null : Bodies.optionalText(body, "role");
        String user = issuer.name();
        Level role = level(roleText);
        if (forUser != null) {
            ApiUser u = sessions.user(forUser)
                    .orElseThrow(() -> Rejection.invalid("user", "names no user of api.users"));
            user = u.username();
            role = roleText == null ? u.role() : role;
            if (!u.role().atLeast(role)) {
                throw Rejection.invalid("role", "must not exceed the user's own role (" + u.role().id() + ")");
            }
        }
        String code = sessions.link(user, role, issuer.name());
        log.info("Sign-in link for {} ({}) issued by {}", user, role.id(), issuer.name());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", "/console/signin?code=" + code);
        out.put("code", code);
        out.put("user", user);
        out.put("role", role.id());
        out.put("expiresAt", sessions.linkExpiry());
        ctx.status(201).json(out);
    }

    private void signIn(Context ctx) {
        ApiAuth.checkOrigin(ctx, sessions); // no login CSRF: a cross-site form cannot sign a browser in
        JsonNode body = Bodies.jsonObject(ctx);
        String token = Bodies.optionalText(body, "token");
        String username = Bodies.optionalText(body, "username");
        // a wrong admin token counts against the address only: one shared key would let anyone lock
        // the break-glass token sign-in out for everybody
        String[] keys = token != null ? new String[] {"addr:" + ctx.ip()}
                : new String[] {"addr:" + ctx.ip(), "user:" + (username == null ? "<none>" : username)};
        if (!auth.failures().allowed(keys)) {
            throw new HttpResponseException(429, "too many failed sign-ins, try again later");
        }
        Sessions.Created c;
        if (token != null) {
            if (!auth.isAdmin(token)) {
                auth.failures().failed(keys);
                throw new UnauthorizedResponse(WRONG);
            }
            c = sessions.create("admin", Level.ADMIN, "token");
        } else {
            if (username == null) {
                throw Rejection.invalid("username", "is required (or token)");
            }
            String password = Bodies.optionalText(body, "password");
            Optional<ApiUser> u = sessions.user(username);
            // an unknown name costs the same key stretching as a known one: no user enumeration by timing
            String stored = u.map(ApiUser::passwordHash).orElse(sessions.anyHash());
            boolean ok = password != null && stored != null && PasswordHasher.verify(password.toCharArray(), stored);
            if (!ok || u.isEmpty()) {
                auth.failures().failed(keys);
                throw new UnauthorizedResponse(WRONG);
            }
            c = sessions.create(u.get().username(), u.get().role(), "password");
        }
        ctx.cookie(cookie(c.cookie(), sessions.cookieMaxAgeSeconds()));
        ctx.header("Cache-Control", "no-store");
        ctx.json(body(c.session()));
    }

    private void show(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String cookie = ctx.cookie(Sessions.COOKIE);
        if (ctx.header("Authorization") == null && cookie != null) {
            Sessions.Session s = sessions.find(cookie)
                    .orElseThrow(() -> new UnauthorizedResponse("the session has ended: sign in again"));
            ctx.json(body(s));
            return;
        }
        Principal p = auth.reader(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", p.name());
        out.put("role", Level.ADMIN.id());
        out.put("csrf", null);
        out.put("expiresAt", null);
        out.put("via", "bearer");
        ctx.json(out);
    }

    private void signOut(Context ctx) {
        String cookie = ctx.cookie(Sessions.COOKIE);
        if (ctx.header("Authorization") == null && cookie != null) {
            Optional<Sessions.Session> s = sessions.find(cookie);
            if (s.isPresent()) {
                ApiAuth.checkCsrf(ctx, sessions, s.get());
                sessions.end(cookie);
            }
        } else {
            auth.reader(ctx);
        }
        ctx.cookie(cookie("", 0));
        ctx.status(204);
    }

    private Cookie cookie(String value, int maxAgeSeconds) {
        return new Cookie(Sessions.COOKIE, value, "/", maxAgeSeconds, sessions.secureCookies(), 0, true, null, null,
                SameSite.STRICT);
    }

    private static Map<String, Object> body(Sessions.Session s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", s.user);
        out.put("role", s.role.id());
        out.put("csrf", s.csrf);
        out.put("expiresAt", s.expiresAt);
        out.put("via", s.via);
        out.put("issuedBy", s.issuedBy);
        return out;
    }

    private static Level level(String s) {
        if (s == null) {
            return Level.ADMIN;
        }
        try {
            return Level.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid("role", "must be viewer, operator or admin, got '" + s + "'");
        }
    }
}
