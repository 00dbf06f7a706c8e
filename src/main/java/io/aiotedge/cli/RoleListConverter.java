package io.aiotedge.cli;

import io.aiotedge.core.NodeRole;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code platform,inference} -> the set of roles; an unknown role is a usage error. */
final class RoleListConverter implements ITypeConverter<Set<NodeRole>> {
    @Override
    public Set<NodeRole> convert(String value) {
        Set<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                roles.add(NodeRole.parse(part));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
        if (roles.isEmpty()) {
            throw new TypeConversionException("at least one role is needed");
        }
        return roles;
    }
}
