package io.aiotedge.core;

import java.util.Locale;

/** The roles a node can hold; {@code run --role} takes their ids, comma-separated. */
public enum NodeRole {
    PLATFORM, INFERENCE, THINGS_GATEWAY;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static NodeRole parse(String s) {
        for (NodeRole r : values()) {
            if (r.id().equals(s.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "unknown role '" + s.trim() + "' (expected platform, inference or things-gateway)");
    }
}
