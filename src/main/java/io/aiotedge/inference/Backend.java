package io.aiotedge.inference;

import java.util.Locale;

/** Which runtime runs a model. */
public enum Backend {
    /** TensorFlow Lite's native runtime where it loads, else {@link #JAVA}. */
    AUTO,
    /** TensorFlow Lite's Java Interpreter with its native library (linux-x86_64). */
    TFLITE,
    /** Our pure-Java interpreter of the ops our models use. */
    JAVA;

    public static Backend parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** Opens {@code model} on this backend; the error names what could not be loaded. */
    public Inference open(byte[] model) throws ModelFormatException {
        switch (this) {
            case JAVA:
                return new JavaInterpreter(ModelGraph.parse(model));
            case TFLITE:
                return new NativeInterpreter(model);
            default:
                return NativeRuntime.problem() == null ? new NativeInterpreter(model)
                        : new JavaInterpreter(ModelGraph.parse(model));
        }
    }

    /** Null when the native runtime loads here, else why not. */
    public static String nativeProblem() {
        return NativeRuntime.problem();
    }
}
