package io.aiotedge.tflite;

/**
 * A loaded model: one float32 input vector in, one float32 output vector out (quantized models
 * quantize and dequantize inside, as our exported models do). Not thread-safe: an instance owns
 * its tensor memory; use one per thread, or share one under a lock.
 */
public interface Inference extends AutoCloseable {

    /** {@code tflite} or {@code java}. */
    String backend();

    int inputSize();

    int outputSize();

    /** Runs the model on one input; {@code input.length} must be {@link #inputSize()}. */
    float[] predict(float[] input);

    /**
     * Runs the model on a batch of inputs, one output per row, the same as {@link #predict} row by
     * row. The java backend loops; TFLite runs the batch in one invocation.
     */
    default float[][] predictBatch(float[][] inputs) {
        float[][] out = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = predict(inputs[i]);
        }
        return out;
    }

    @Override
    void close();
}
