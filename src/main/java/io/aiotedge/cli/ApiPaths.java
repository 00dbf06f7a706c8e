package io.aiotedge.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The one place the CLI puts an operator's words into an API URL. A model name, alias, device or
 * rollout id is one path segment: every byte but RFC 3986's unreserved characters is
 * percent-encoded, so {@code /}, {@code ..}, {@code ?} or {@code #} in a name reach the platform
 * as part of that name (which rejects it precisely) and never as another endpoint or a query.
 */
final class ApiPaths {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ApiPaths() {
    }

    /** {@code "/api/v1/" + the segments, each encoded}: {@code of("models", name, "versions")}. */
    static String of(Object... segments) {
        StringBuilder b = new StringBuilder("/api/v1");
        for (Object s : segments) {
            b.append('/').append(segment(String.valueOf(s)));
        }
        return b.toString();
    }

    /** One path segment, percent-encoded (a space is %20, never +); no name, . and .. are refused. */
    static String segment(String s) {
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            throw new ApiClient.ApiError("'" + s + "' is not a name");
        }
        StringBuilder b = new StringBuilder(s.length());
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if (unreserved(c)) {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return b.toString();
    }

    /** A query parameter's value. */
    static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static boolean unreserved(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}
