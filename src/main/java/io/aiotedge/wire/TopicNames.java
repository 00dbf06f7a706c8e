package io.aiotedge.wire;

/** Syntax checks for MQTT topic names and filters (MQTT 5 spec 4.7). */
public final class TopicNames {
    private TopicNames() {
    }

    /** A value that may be substituted into a topic rule without widening it. */
    public static boolean isSafeSegment(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Null when {@code filter} is a valid MQTT topic filter, else the reason. */
    public static String filterProblem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "a topic filter must not be empty";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#") && i != levels.length - 1) {
                return "'#' must be the last level in '" + filter + "'";
            }
            if (level.length() > 1 && (level.contains("#") || level.contains("+"))) {
                return "a wildcard must fill a whole level in '" + filter + "'";
            }
        }
        return null;
    }
}
