package io.aiotedge.core.auth;

import java.util.Optional;

/**
 * Checks credentials. Implemented by the config user list now and by the device registry later;
 * the broker and the HTTP API ask a chain of them. Implementations must be thread-safe and must
 * not block for long: they run on the broker's authentication threads.
 */
public interface Authenticator {

    /**
     * @param clientId the MQTT client id (or HTTP client hint), never null
     * @param username may be null when the client sent none
     * @param password may be null; the caller clears it after the call
     * @return the principal when the credentials are valid; empty when this authenticator does
     *     not know the user or the password is wrong
     */
    Optional<Principal> authenticate(String clientId, String username, char[] password);
}
