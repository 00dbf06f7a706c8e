package io.aiotedge.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The platform services: HTTP API auth ({@code api.*}), model registry limits ({@code models.*}),
 * training datastore and its ingest ({@code datastore.*}), and the reference firmware switch
 * ({@code compat.*}).
 *
 * @param adminToken the API's admin bearer token; empty = generated on first start and kept in
 *     {@code <dataDir>/keys/admin-token}
 * @param publicUrl the base URL put in model announcements; empty = {@code http(s)://localhost:<http port>}
 * @param maxModelBytes largest model upload (413 beyond)
 * @param ingest whether the platform consumes telemetry into the datastore
 * @param ingestTopics Kafka topics ingested: aiot telemetry JSON or the reference firmware's readings
 * @param ingestBatch records per poll, stored in one transaction
 * @param retentionMaxAgeHours rows older than this are deleted
 * @param retentionMaxRows the oldest rows beyond this count are deleted
 * @param legacyDevices let provisioned and activated reference-firmware devices in without credentials
 * @param legacyModelName the model name the reference's {@code /uploadQuantizedModel} registers under
 * @param labelSources who may label telemetry for training: {@code role:<role>} or a principal
 *     name; the ingest stores other senders' rows unlabelled
 * @param authFailureBurst failed device-token checks allowed at once per client address and per
 *     device id (then 429); 0 = no limit
 * @param authFailuresPerMinute how fast that allowance refills
 * @param users console/API users who sign in with a password ({@code api.users})
 * @param sessionMinutes a session's absolute lifetime
 * @param sessionIdleMinutes a session ends after this long without a call
 * @param maxSessions sessions alive at once (the oldest is ended beyond)
 * @param publicOrigin the origin browsers use behind a TLS-terminating proxy, normalised
 *     ({@code https://edge.plant.local:8443}: lower case, no default port, no trailing slash);
 *     empty = only the listener's own origin
 * @param live the console's live state and stream bounds ({@code console.*})
 */
public record PlatformConfig(String adminToken, String publicUrl, long maxModelBytes, boolean ingest,
        String ingestGroupId, List<String> ingestTopics, int ingestBatch,
        long retentionMaxAgeHours, long retentionMaxRows, boolean legacyDevices,
        String legacyModelName, List<String> labelSources, int authFailureBurst,
        int authFailuresPerMinute, List<ApiUser> users, int sessionMinutes, int sessionIdleMinutes,
        int maxSessions, String publicOrigin, LiveConfig live) {
    public PlatformConfig {
        ingestTopics = List.copyOf(ingestTopics);
        users = List.copyOf(users);
        labelSources = List.copyOf(labelSources);
    }

    static PlatformConfig read(ConfigReader r) {
        String token = r.string("api.adminToken");
        if (!token.isEmpty() && token.length() < 16) {
            r.problem("api.adminToken", "must be at least 16 characters (or empty to generate one)");
        }
        String url = r.string("api.publicUrl");
        if (!url.isEmpty() && !url.matches("https?://[^/\\s]+(/[^\\s]*)?")) {
            r.problem("api.publicUrl", "must be an http:// or https:// URL, got '" + url + "'");
        }
        List<String> topics = r.stringList("datastore.ingestTopics");
        if (topics.isEmpty()) {
            r.problem("datastore.ingestTopics", "must name at least one topic");
        }
        String legacyName = r.nonBlank("compat.legacyModelName");
        if (!legacyName.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            r.problem("compat.legacyModelName", "must be 1-64 of a-z 0-9 . _ - starting with a letter or digit");
        }
        List<String> labelSources = r.stringList("datastore.labelSources");
        for (int i = 0; i < labelSources.size(); i++) {
            String e = labelSources.get(i);
            if (e.isBlank()) {
                r.problem("datastore.labelSources[" + i + "]", "must be role:<role> or a principal name");
            } else if (e.startsWith("role:")) {
                try {
                    io.aiotedge.core.auth.Role.parse(e.substring(5));
                } catch (IllegalArgumentException x) {
                    r.problem("datastore.labelSources[" + i + "]", "unknown role '" + e.substring(5)
                            + "' (device, legacy-device, service, admin)");
                }
            }
        }
        return new PlatformConfig(token, url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                r.longValue("models.maxModelBytes", 1024, 1L << 31), r.bool("datastore.ingest"),
                r.nonBlank("datastore.ingestGroupId"), topics, r.integer("datastore.ingestBatch", 1, 50_000),
                r.longValue("datastore.retentionMaxAgeHours", 1, 24L * 365 * 100),
                r.longValue("datastore.retentionMaxRows", 1000, Long.MAX_VALUE), r.bool("compat.legacyDevices"),
                legacyName, labelSources, r.integer("api.authFailureBurst", 0, 1_000_000),
                r.integer("api.authFailuresPerMinute", 1, 1_000_000), users(r),
                r.integer("api.sessionMinutes", 1, 60 * 24 * 30), r.integer("api.sessionIdleMinutes", 1, 60 * 24 * 30),
                r.integer("api.maxSessions", 1, 100_000), origin(r, "api.publicOrigin"), LiveConfig.read(r));
    }

    /** {@code scheme://host[:port]} as a browser sends it in {@code Origin}, or "" when unset. */
    private static String origin(ConfigReader r, String key) {
        String value = r.string(key);
        if (value.isEmpty()) {
            return "";
        }
        String bad = "must be an origin, http(s)://host[:port] without user, path, query or fragment, got '"
                + value + "'";
        try {
            URI u = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean https = scheme.equals("https");
            int port = u.getPort();
            if (!https && !scheme.equals("http") || u.getHost() == null || u.getRawUserInfo() != null
                    || !u.getRawPath().isEmpty() || u.getRawQuery() != null || u.getRawFragment() != null
                    || port == 0 || port > 65_535) {
                r.problem(key, bad);
                return "";
            }
            boolean defaultPort = port == -1 || port == (https ? 443 : 80);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            r.problem(key, bad);
            return "";
        }
    }

    private static List<ApiUser> users(ConfigReader r) {
        List<ApiUser> users = r.objects("api.users").stream().map(ApiUser::read).toList();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ApiUser u : users) {
            if (!seen.add(u.username())) {
                r.problem("api.users", "username '" + u.username() + "' is listed twice");
            }
        }
        return users;
    }
}
