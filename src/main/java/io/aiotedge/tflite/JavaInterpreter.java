package io.aiotedge.tflite;

import java.util.List;

/**
 * The {@code java} backend: runs a {@link ModelGraph} with the ops in {@link Op.Code}, float32,
 * and int8 with TFLite's integer arithmetic ({@link QuantMath}), so its int8 outputs match the
 * TFLite runtime's to the bit or within 1 LSB where TFLite's optimised kernels round differently.
 * Every type combination is checked at load ({@link OpChecks}, which also derives each op's
 * integer constants); the tensors live in {@link TensorArrays}, allocated once; an invoke copies
 * the input in, runs each op's kernel ({@link Kernels}) in graph order and allocates nothing but
 * the output array. Not thread-safe (see {@link Inference}).
 */
final class JavaInterpreter implements Inference {
    private final ModelGraph g;
    private final TensorArrays t;
    /** Per op: the requantisation multiplier and shift, where one is needed. */
    private final int[][] requant;

    JavaInterpreter(ModelGraph graph) throws ModelFormatException {
        this.g = graph;
        this.t = new TensorArrays(g.tensors);
        OpChecks checks = new OpChecks(g.tensors);
        requant = new int[g.ops.size()][];
        for (int i = 0; i < g.ops.size(); i++) {
            requant[i] = checks.prepare(g.ops.get(i), i);
        }
        if (type(g.inputs[0]) != TensorInfo.FLOAT32 || type(g.outputs[0]) != TensorInfo.FLOAT32) {
            throw new ModelFormatException(
                    "the model's input and output must be float32 (quantized models quantize inside)");
        }
    }

    private int type(int tensor) {
        return g.tensors.get(tensor).type();
    }

    private TensorInfo info(int tensor) {
        return g.tensors.get(tensor);
    }

    @Override
    public String backend() {
        return "java";
    }

    @Override
    public int inputSize() {
        return info(g.inputs[0]).elements();
    }

    @Override
    public int outputSize() {
        return info(g.outputs[0]).elements();
    }

    @Override
    public float[] predict(float[] input) {
        if (input.length != inputSize()) {
            throw new IllegalArgumentException("input has " + input.length + " values, the model takes " + inputSize());
        }
        System.arraycopy(input, 0, t.f32[g.inputs[0]], 0, input.length);
        List<Op> ops = g.ops;
        for (int i = 0; i < ops.size(); i++) {
            run(ops.get(i), requant[i]);
        }
        return t.f32[g.outputs[0]].clone();
    }

    private void run(Op op, int[] rq) {
        int in = op.inputs()[0];
        int out = op.outputs()[0];
        switch (op.code()) {
            case QUANTIZE :
                Kernels.quantize(t.f32[in], t.i8[out], info(out).scale(), info(out).zeroPoint());
                break;
            case DEQUANTIZE :
                Kernels.dequantize(t.i8[in], t.f32[out], info(in).scale(), info(in).zeroPoint());
                break;
            case FULLY_CONNECTED :
                fullyConnected(op, rq);
                break;
            case LOGISTIC :
                logistic(in, out);
                break;
            case RELU :
                relu(in, out, rq);
                break;
            case SOFTMAX :
                Kernels.softmax(t.f32[in], t.f32[out], op.beta());
                break;
            case ADD :
                Kernels.add(t.f32[in], t.f32[op.inputs()[1]], t.f32[out], op.activation());
                break;
            case MUL :
                Kernels.mul(t.f32[in], t.f32[op.inputs()[1]], t.f32[out], op.activation());
                break;
            case RESHAPE :
                t.copy(in, out);
                break;
            default :
                throw new IllegalStateException("unprepared operator " + op.code());
        }
    }

    private void fullyConnected(Op op, int[] rq) {
        int in = op.inputs()[0];
        int w = op.inputs()[1];
        int b = op.inputs().length > 2 ? op.inputs()[2] : -1;
        int out = op.outputs()[0];
        int units = info(w).shape()[0];
        int depth = info(w).shape()[1];
        if (type(in) == TensorInfo.FLOAT32) {
            Kernels.fullyConnected(t.f32[in], t.f32[w], b >= 0 ? t.f32[b] : null, t.f32[out], units, depth,
                    op.activation());
        } else {
            Kernels.fullyConnected(t.i8[in], info(in).zeroPoint(), t.i8[w], b >= 0 ? t.i32[b] : null, t.i8[out],
                    info(out).zeroPoint(), units, depth, rq);
        }
    }

    private void logistic(int in, int out) {
        if (type(in) == TensorInfo.FLOAT32) {
            Kernels.logistic(t.f32[in], t.f32[out]);
        } else {
            Kernels.logistic(t.i8[in], info(in).scale(), info(in).zeroPoint(), t.i8[out], info(out).scale(),
                    info(out).zeroPoint());
        }
    }

    private void relu(int in, int out, int[] rq) {
        if (type(in) == TensorInfo.FLOAT32) {
            Kernels.relu(t.f32[in], t.f32[out]);
        } else {
            Kernels.relu(t.i8[in], info(in).zeroPoint(), t.i8[out], info(out).zeroPoint(), rq);
        }
    }

    @Override
    public void close() {
        // heap only
    }
}
