package io.aiotedge.ota;

/**
 * What to answer a download request with.
 *
 * @param status 200 whole file, 206 part, 304 not modified, 416 range not satisfiable
 * @param start first byte to send (inclusive)
 * @param length bytes to send
 * @param contentRange the {@code Content-Range} header for 206 and 416, else null
 */
public record DownloadPlan(int status, long start, long length, String contentRange) {

    /** The strong entity tag of a content-addressed file. */
    public static String etag(String sha256) {
        return "\"" + sha256 + "\"";
    }

    /**
     * Plans the answer for a file of {@code size} bytes with entity tag {@code etag}.
     *
     * @param ifNoneMatch the header or null
     * @param range the {@code Range} header or null; only one {@code bytes=} range is served (a
     *     multi-range or malformed header is ignored, as RFC 9110 allows, and the whole file sent)
     * @param ifRange the header or null; a range is honoured only if it names the current etag
     */
    public static DownloadPlan plan(long size, String etag, String ifNoneMatch, String range, String ifRange) {
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return new DownloadPlan(304, 0, 0, null);
        }
        DownloadPlan whole = new DownloadPlan(200, 0, size, null);
        if (range == null || ifRange != null && !ifRange.trim().equals(etag)) {
            return whole;
        }
        String r = range.trim();
        if (!r.startsWith("bytes=") || r.indexOf(',') >= 0) {
            return whole;
        }
        String spec = r.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return whole;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (!a.matches("\\d{0,18}") || !b.matches("\\d{0,18}") || a.isEmpty() && b.isEmpty()) {
            return whole;
        }
        long first;
        long last;
        try {
            if (a.isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(b);
                if (n <= 0) {
                    return unsatisfiable(size);
                }
                first = Math.max(0, size - n);
                last = size - 1;
            } else {
                first = Long.parseLong(a);
                last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
                if (first < 0 || b.length() > 0 && Long.parseLong(b) < first) {
                    return whole;
                }
            }
        } catch (NumberFormatException e) {
            return whole;
        }
        if (first >= size || size == 0) {
            return unsatisfiable(size);
        }
        return new DownloadPlan(206, first, last - first + 1, "bytes " + first + "-" + last + "/" + size);
    }

    private static DownloadPlan unsatisfiable(long size) {
        return new DownloadPlan(416, 0, 0, "bytes */" + size);
    }

    private static boolean matches(String header, String etag) {
        for (String t : header.split(",")) {
            String tag = t.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
