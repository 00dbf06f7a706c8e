package io.aiotedge.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the platform database lives ({@code storage.*}).
 *
 * @param jdbcUrl empty = the embedded H2 file under {@code <dataDir>/platform}; otherwise a
 *     {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
 * @param user the database user; empty = {@code aiot} on the embedded H2 file
 * @param password secret: the user's password
 */
public record StorageConfig(String jdbcUrl, String user, String password) {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    /** Whether this is the embedded default (no URL given). */
    public boolean embedded() {
        return jdbcUrl.isEmpty();
    }

    /** Whether the URL names a PostgreSQL server. */
    public boolean postgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The URL with any {@code password=} parameter replaced, for logs and error messages. */
    public String redactedUrl() {
        return redact(jdbcUrl);
    }

    /** {@code url} with the value of any {@code password=} parameter replaced by {@code ******}. */
    public static String redact(String url) {
        return URL_PASSWORD.matcher(url).replaceAll("$1******");
    }

    @Override
    public String toString() {
        return "StorageConfig[jdbcUrl=" + redactedUrl() + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "******") + "]";
    }

    static StorageConfig read(ConfigReader r) {
        String url = r.string("storage.jdbcUrl").trim();
        String lower = url.toLowerCase(Locale.ROOT);
        if (!url.isEmpty() && !lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:postgresql:")) {
            r.problem("storage.jdbcUrl",
                    "must be empty (the embedded H2 file), a jdbc:h2: or a jdbc:postgresql: URL, got '"
                            + redact(url) + "'");
        }
        return new StorageConfig(url, r.string("storage.user"), r.string("storage.password"));
    }
}
