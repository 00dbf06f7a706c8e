package io.aiotedge.datastore;

import java.util.List;
import java.util.Set;

/**
 * Who may label telemetry for training ({@code datastore.labelSources}): entries
 * {@code role:<role>} match the sender's role, any other entry its principal name. The sender is
 * what the bridge wrote in the record's {@code aiot.principal}/{@code aiot.principalRole}
 * headers; a record without them (not bridged) is no label source. Immutable.
 */
final class LabelSources {
    private static final String ROLE = "role:";

    private final Set<String> roles;
    private final Set<String> names;

    LabelSources(List<String> entries) {
        this.roles = Set.copyOf(entries.stream().filter(e -> e.startsWith(ROLE))
                .map(e -> io.aiotedge.core.auth.Role.parse(e.substring(ROLE.length())).id()).toList());
        this.names = Set.copyOf(entries.stream().filter(e -> !e.startsWith(ROLE)).toList());
    }

    /** @param name the sender's principal, or null when unknown; @param role its role id, or null */
    boolean trusts(String name, String role) {
        return name != null && role != null && (roles.contains(role) || names.contains(name));
    }
}
