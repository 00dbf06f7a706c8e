package io.aiotedge.core.auth;

import io.aiotedge.core.Checks;

/**
 * An authenticated identity.
 *
 * @param name the user or device id, substituted for {@code {username}} in topic rules
 * @param role decides the default permissions
 * @param source who vouched for it ({@code config}, {@code registry}, {@code anonymous})
 */
public record Principal(String name, Role role, String source) {
    public Principal {
        Checks.notBlank(name, "Principal name");
        Checks.notNull(role, "Principal role");
        Checks.notBlank(source, "Principal source");
    }
}
