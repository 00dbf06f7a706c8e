package io.aiotedge.tflite;

/** A model file that cannot be loaded: malformed, truncated, or using what we do not run. */
public final class ModelFormatException extends Exception {
    public ModelFormatException(String message) {
        super(message);
    }

    ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
