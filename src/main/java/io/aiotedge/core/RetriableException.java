package io.aiotedge.core;

/** A transient failure (a peer is away, a queue is full); the caller may try again later. */
public class RetriableException extends EdgeException {
    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
