package io.aiotedge.core.auth;

import java.util.Locale;

/** What an authenticated principal is, which decides its default topic permissions. */
public enum Role {
    /** A sensor or actuator: only its own topic tree. */
    DEVICE,
    /**
     * A device flashed with the reference firmware, let in without credentials because it is
     * provisioned and activated ({@code compat.legacyDevices}): only the reference's two topics.
     */
    LEGACY_DEVICE,
    /** A service of ours or of the plant (gateway, dashboards, bridges): the whole aiot tree. */
    SERVICE,
    /** An operator: everything. */
    ADMIN;

    /** Accepts the {@link #id()} form ({@code legacy-device}) and the constant's name. */
    public static Role parse(String s) {
        return valueOf(s.trim().replace('-', '_').toUpperCase(Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Devices get per-client interceptors (ACL reason codes, rate limits). */
    public boolean isDevice() {
        return this == DEVICE || this == LEGACY_DEVICE;
    }
}
