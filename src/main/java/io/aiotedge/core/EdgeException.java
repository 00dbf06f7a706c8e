package io.aiotedge.core;

/** Root of the runtime's unchecked exceptions. */
public class EdgeException extends RuntimeException {
    public EdgeException(String message) {
        super(message);
    }

    public EdgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
