package io.aiotedge.models;

/**
 * One entry of an alias's history.
 *
 * @param fromVersion null when the alias was unset before
 * @param toVersion null when the alias was removed
 */
public record AliasChange(String name, String alias, Integer fromVersion, Integer toVersion, String changedBy,
        long changedAt, String reason) {
}
