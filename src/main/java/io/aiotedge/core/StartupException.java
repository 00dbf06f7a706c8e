package io.aiotedge.core;

/** A component could not start; the runtime rolls back and the process exits with code 1. */
public class StartupException extends EdgeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
