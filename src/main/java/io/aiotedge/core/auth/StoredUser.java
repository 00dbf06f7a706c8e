package io.aiotedge.core.auth;

/** A known user: its {@link PasswordHasher} hash and role. */
public record StoredUser(String passwordHash, Role role) {
}
