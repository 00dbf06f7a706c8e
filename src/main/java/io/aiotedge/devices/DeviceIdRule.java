package io.aiotedge.devices;

import io.aiotedge.core.Rejection;
import java.util.regex.Pattern;

/**
 * Registry device ids: 1-64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit, so an
 * id is one MQTT topic level, one URL path segment and one file name, and the token
 * {@code <id>.<secret>} splits at its last dot (secrets are base64url, without dots).
 */
final class DeviceIdRule {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private DeviceIdRule() {
    }

    static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static String require(String field, String id) {
        if (id == null || id.isBlank()) {
            throw Rejection.invalid(field, "is required");
        }
        if (!valid(id)) {
            throw Rejection.invalid(field, "must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit");
        }
        return id;
    }
}
