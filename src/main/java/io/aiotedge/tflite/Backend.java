package io.aiotedge.tflite;

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

    /**
     * Opens {@code model} on this backend; the error names what could not be loaded. Every model
     * goes through our bounds-checked pre-parse ({@link ModelGraph#parse}) first, whichever
     * backend runs it: the native runtime trusts the flatbuffer, so it only ever sees a file the
     * pre-parse understood completely.
     */
    public Inference open(byte[] model) throws ModelFormatException {
        ModelGraph checked = ModelGraph.parse(model);
        Inference opened;
        switch (this) {
            case JAVA :
                opened = new JavaInterpreter(checked);
                break;
            case TFLITE :
                opened = new NativeInterpreter(model, checked);
                break;
            default :
                opened = NativeRuntime.problem() == null ? new NativeInterpreter(model, checked)
                        : new JavaInterpreter(checked);
        }
        return tried(opened);
    }

    /**
     * Runs the model once on zeros, so a model that loads but cannot run (the native runtime
     * finds some inconsistencies only when it allocates, at the first inference) is refused at
     * load with a reason instead of failing every window later.
     */
    private static Inference tried(Inference m) throws ModelFormatException {
        try {
            m.predict(new float[m.inputSize()]);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw new ModelFormatException("the model loads but does not run: " + e.getMessage(), e);
        }
    }

    /** Null when the native runtime loads here, else why not. */
    static String nativeProblem() {
        return NativeRuntime.problem();
    }
}
