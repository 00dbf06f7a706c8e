package io.aiotedge.broker;

/** MQTT topic-filter matching (MQTT 5 spec 4.7), used by the ACL. Stateless. */
final class TopicMatch {
    private TopicMatch() {
    }

    /** Whether {@code topic} (no wildcards) matches {@code filter}. */
    static boolean matches(String filter, String topic) {
        return covers(filter, topic);
    }

    /**
     * Whether every topic that {@code requested} can match is also matched by {@code allowed}:
     * {@code a/#} covers {@code a/b/+}; {@code a/+} does not cover {@code a/#}. A topic name is a
     * filter without wildcards, so this also decides publish permission. Topics starting with
     * {@code $} are only matched by filters that name the {@code $} level explicitly.
     */
    static boolean covers(String allowed, String requested) {
        String[] a = allowed.split("/", -1);
        String[] r = requested.split("/", -1);
        if (r[0].startsWith("$") && (a[0].equals("#") || a[0].equals("+"))) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals("#")) {
                return true;
            }
            if (i >= r.length) {
                return false;
            }
            if (a[i].equals("+")) {
                if (r[i].equals("#")) {
                    return false;
                }
                continue;
            }
            if (!a[i].equals(r[i])) {
                return false;
            }
        }
        return a.length == r.length;
    }
}
