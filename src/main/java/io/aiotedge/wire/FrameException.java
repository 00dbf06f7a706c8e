package io.aiotedge.wire;

/** A frame or message that cannot be accepted; the message says precisely why (dead-letter reason). */
public final class FrameException extends Exception {
    public FrameException(String message) {
        super(message);
    }
}
