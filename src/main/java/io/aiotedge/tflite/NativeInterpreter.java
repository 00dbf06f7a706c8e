package io.aiotedge.tflite;

import io.aiotedge.core.Checks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * The {@code tflite} backend: TensorFlow Lite's own Interpreter (TF Lite 2.6, one thread) over
 * direct native-order buffers, the cheapest way across the JNI for models this small. Not
 * thread-safe (see {@link Inference}).
 */
final class NativeInterpreter implements Inference {
    private final Interpreter interpreter;
    private final ByteBuffer in;
    private final ByteBuffer out;
    private ByteBuffer batchIn;
    private ByteBuffer batchOut;
    private int batch = 1; // the batch size the input tensor is sized for
    private final int inputSize;
    private final int outputSize;

    /**
     * @param checked what {@link ModelGraph#parse} made of {@code model}: the native runtime trusts
     *     the flatbuffer, so only a file our bounds-checked pre-parse understood gets here
     *     (a truncated or hostile file is refused with a message instead of crashing the JVM)
     */
    NativeInterpreter(byte[] model, ModelGraph checked) throws ModelFormatException {
        Checks.notNull(checked, "Pre-parsed model graph");
        String problem = NativeRuntime.problem();
        if (problem != null) {
            throw new ModelFormatException(problem);
        }
        ByteBuffer file = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
        file.put(model).flip();
        Interpreter.Options options = new Interpreter.Options().setNumThreads(1);
        try {
            interpreter = new Interpreter(file, options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFormatException("TFLite refused the model: " + e.getMessage(), e);
        }
        Tensor ti = interpreter.getInputTensor(0);
        Tensor to = interpreter.getOutputTensor(0);
        if (ti.dataType() != DataType.FLOAT32 || to.dataType() != DataType.FLOAT32) {
            interpreter.close();
            throw new ModelFormatException("the model's input and output must be float32");
        }
        inputSize = ti.numElements();
        outputSize = to.numElements();
        in = ByteBuffer.allocateDirect(4 * inputSize).order(ByteOrder.nativeOrder());
        out = ByteBuffer.allocateDirect(4 * outputSize).order(ByteOrder.nativeOrder());
    }

    @Override
    public String backend() {
        return "tflite";
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return outputSize;
    }

    @Override
    public float[] predict(float[] input) {
        if (input.length != inputSize) {
            throw new IllegalArgumentException("input has " + input.length + " values, the model takes " + inputSize);
        }
        resize(1);
        in.clear();
        in.asFloatBuffer().put(input);
        out.clear();
        interpreter.run(in, out);
        float[] result = new float[outputSize];
        FloatBuffer fb = out.rewind().asFloatBuffer();
        fb.get(result);
        return result;
    }

    @Override
    public float[][] predictBatch(float[][] inputs) {
        int n = inputs.length;
        if (n == 0) {
            return new float[0][];
        }
        resize(n);
        if (batchIn == null || batchIn.capacity() != 4 * n * inputSize) { // TFLite wants the exact size
            batchIn = ByteBuffer.allocateDirect(4 * n * inputSize).order(ByteOrder.nativeOrder());
            batchOut = ByteBuffer.allocateDirect(4 * n * outputSize).order(ByteOrder.nativeOrder());
        }
        batchIn.clear();
        FloatBuffer fin = batchIn.asFloatBuffer();
        for (float[] x : inputs) {
            if (x.length != inputSize) {
                throw new IllegalArgumentException("input has " + x.length + " values, the model takes " + inputSize);
            }
            fin.put(x);
        }
        batchOut.clear();
        interpreter.run(batchIn, batchOut);
        FloatBuffer fout = batchOut.rewind().asFloatBuffer();
        float[][] result = new float[n][outputSize];
        for (float[] r : result) {
            fout.get(r);
        }
        return result;
    }

    /** Sizes the input tensor for {@code n} rows (the graph's shapes follow at allocation). */
    private void resize(int n) {
        if (n != batch) {
            interpreter.resizeInput(0, new int[] {n, inputSize});
            interpreter.allocateTensors();
            batch = n;
        }
    }

    @Override
    public void close() {
        interpreter.close();
    }
}
