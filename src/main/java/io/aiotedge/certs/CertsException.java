package io.aiotedge.certs;

import io.aiotedge.core.EdgeException;

/**
 * A {@code certs} request that cannot be carried out as asked (an existing CA, no SAN, a bad name,
 * a wrong store password); the message says what to change. The command exits 2 with it.
 */
public final class CertsException extends EdgeException {
    public CertsException(String message) {
        super(message);
    }
}
