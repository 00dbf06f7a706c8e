package io.aiotedge.core;

/** Argument checks for public boundaries; messages name the argument. */
public final class Checks {
    private Checks() {
    }

    public static <T> T notNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null.");
        }
        return value;
    }

    public static String notBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank.");
        }
        return value;
    }
}
