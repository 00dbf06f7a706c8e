package io.aiotedge.core.auth;

import java.util.Locale;

/** What an authenticated principal is, which decides its default topic permissions. */
public enum Role {
    /** A sensor or actuator: only its own topic tree. */
    DEVICE,
    /** A service of ours or of the plant (gateway, dashboards, bridges): the whole aiot tree. */
    SERVICE,
    /** An operator: everything. */
    ADMIN;

    public static Role parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
