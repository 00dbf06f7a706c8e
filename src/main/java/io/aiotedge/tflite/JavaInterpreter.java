package io.aiotedge.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The {@code java} backend: runs a {@link ModelGraph} with the ops in {@link Op.Code}, float32,
 * and int8 with TFLite's integer arithmetic ({@link QuantMath}), so its int8 outputs match the
 * TFLite runtime's to the bit or within 1 LSB where TFLite's optimised kernels round differently.
 * Every type combination is checked at load ({@link #JavaInterpreter}); running allocates nothing
 * but the output array. Not thread-safe (see {@link Inference}). Longer than our usual class: each
 * operator's load-time checks and its kernel are kept side by side, one switch each.
 */
final class JavaInterpreter implements Inference {
    private final ModelGraph g;
    private final float[][] f32;
    private final byte[][] i8;
    private final int[][] i32;
    /** Per op: the requantisation multiplier and shift, where one is needed. */
    private final int[][] requant;

    JavaInterpreter(ModelGraph graph) throws ModelFormatException {
        this.g = graph;
        int n = g.tensors.size();
        f32 = new float[n][];
        i8 = new byte[n][];
        i32 = new int[n][];
        for (int t = 0; t < n; t++) {
            TensorInfo ti = g.tensors.get(t);
            int e = ti.elements();
            ByteBuffer d = ti.data() == null ? null : ByteBuffer.wrap(ti.data()).order(ByteOrder.LITTLE_ENDIAN);
            switch (ti.type()) {
                case TensorInfo.FLOAT32 :
                    f32[t] = new float[e];
                    if (d != null) {
                        d.asFloatBuffer().get(f32[t]);
                    }
                    break;
                case TensorInfo.INT8 :
                    i8[t] = d == null ? new byte[e] : ti.data().clone();
                    break;
                default :
                    i32[t] = new int[e];
                    if (d != null) {
                        d.asIntBuffer().get(i32[t]);
                    }
                    break;
            }
        }
        requant = new int[g.ops.size()][];
        for (int i = 0; i < g.ops.size(); i++) {
            requant[i] = prepare(g.ops.get(i), i);
        }
        if (type(g.inputs[0]) != TensorInfo.FLOAT32 || type(g.outputs[0]) != TensorInfo.FLOAT32) {
            throw new ModelFormatException(
                    "the model's input and output must be float32 (quantized models quantize inside)");
        }
    }

    private int type(int t) {
        return g.tensors.get(t).type();
    }

    private TensorInfo info(int t) {
        return g.tensors.get(t);
    }

    private int[] prepare(Op op, int index) throws ModelFormatException {
        String where = op.code() + " (operator " + index + ")";
        int in = op.inputs().length > 0 ? op.inputs()[0] : -1;
        int out = op.outputs().length > 0 ? op.outputs()[0] : -1;
        if (in < 0 || out < 0) {
            throw new ModelFormatException(where + " lacks an input or output tensor");
        }
        int ti = type(in);
        int to = type(out);
        switch (op.code()) {
            case QUANTIZE :
                require(ti == TensorInfo.FLOAT32 && to == TensorInfo.INT8, where, "float32 -> int8");
                sameSize(in, out, where);
                requireScale(out, where);
                return null;
            case DEQUANTIZE :
                require(ti == TensorInfo.INT8 && to == TensorInfo.FLOAT32, where, "int8 -> float32");
                sameSize(in, out, where);
                requireScale(in, where);
                return null;
            case FULLY_CONNECTED :
                return prepareFullyConnected(op, where);
            case LOGISTIC :
            case RELU :
                require(ti == to && (ti == TensorInfo.FLOAT32 || ti == TensorInfo.INT8), where, "float32 or int8");
                sameSize(in, out, where);
                if (ti == TensorInfo.INT8) {
                    requireScale(in, where);
                    requireScale(out, where);
                    if (op.code() == Op.Code.RELU) {
                        return QuantMath.quantizeMultiplier((double) info(in).scale() / info(out).scale());
                    }
                }
                return null;
            case SOFTMAX :
            case ADD :
            case MUL :
                require(ti == TensorInfo.FLOAT32 && to == TensorInfo.FLOAT32, where,
                        "float32 (the java backend has no int8 " + op.code() + ")");
                if (op.code() != Op.Code.SOFTMAX) {
                    require(op.inputs().length == 2 && info(op.inputs()[1]).elements() == info(in).elements()
                            && type(op.inputs()[1]) == TensorInfo.FLOAT32, where,
                            "two float32 inputs of the same size");
                }
                sameSize(in, out, where);
                return null;
            case RESHAPE :
                require(ti == to, where, "the same type in and out");
                sameSize(in, out, where);
                return null;
            default :
                throw new ModelFormatException("unsupported operator " + op.code());
        }
    }

    private int[] prepareFullyConnected(Op op, String where) throws ModelFormatException {
        if (op.inputs().length < 2) {
            throw new ModelFormatException(where + " needs input and weights");
        }
        int in = op.inputs()[0];
        int w = op.inputs()[1];
        int b = op.inputs().length > 2 ? op.inputs()[2] : -1;
        int out = op.outputs()[0];
        TensorInfo wt = info(w);
        if (wt.shape().length != 2 || wt.data() == null) {
            throw new ModelFormatException(where + ": weights must be a constant 2-D tensor");
        }
        int units = wt.shape()[0];
        int depth = wt.shape()[1];
        if (info(in).elements() % depth != 0 || info(out).elements() != info(in).elements() / depth * units) {
            throw new ModelFormatException(where + ": input of " + info(in).elements() + " does not fit weights "
                    + units + "x" + depth + " and output of " + info(out).elements());
        }
        if (b >= 0 && (info(b).elements() != units || info(b).data() == null)) {
            throw new ModelFormatException(where + ": bias must be a constant of " + units + " values");
        }
        if (type(in) == TensorInfo.FLOAT32) {
            require(type(w) == TensorInfo.FLOAT32 && type(out) == TensorInfo.FLOAT32
                    && (b < 0 || type(b) == TensorInfo.FLOAT32), where, "all float32, or int8 with an int32 bias");
            return null;
        }
        require(type(in) == TensorInfo.INT8 && type(w) == TensorInfo.INT8 && type(out) == TensorInfo.INT8
                && (b < 0 || type(b) == TensorInfo.INT32), where, "all float32, or int8 with an int32 bias");
        requireScale(in, where);
        requireScale(w, where);
        requireScale(out, where);
        if (wt.zeroPoint() != 0) {
            throw new ModelFormatException(where + ": int8 weights must be symmetric (zero point 0)");
        }
        double real = (double) info(in).scale() * wt.scale() / info(out).scale();
        int[] m = QuantMath.quantizeMultiplier(real);
        int[] range = QuantMath.activationRange(op.activation(), info(out).scale(), info(out).zeroPoint());
        return new int[] {m[0], m[1], range[0], range[1]};
    }

    private void requireScale(int t, String where) throws ModelFormatException {
        if (!(info(t).scale() > 0)) {
            throw new ModelFormatException(where + ": tensor '" + info(t).name() + "' lacks quantization parameters");
        }
    }

    private void sameSize(int a, int b, String where) throws ModelFormatException {
        if (info(a).elements() != info(b).elements()) {
            throw new ModelFormatException(where + ": input has " + info(a).elements() + " elements, output "
                    + info(b).elements());
        }
    }

    private static void require(boolean ok, String where, String what) throws ModelFormatException {
        if (!ok) {
            throw new ModelFormatException(where + ": tensor types not supported; expected " + what);
        }
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
        System.arraycopy(input, 0, f32[g.inputs[0]], 0, input.length);
        List<Op> ops = g.ops;
        for (int i = 0; i < ops.size(); i++) {
            run(ops.get(i), requant[i]);
        }
        return f32[g.outputs[0]].clone();
    }

    private void run(Op op, int[] rq) {
        int in = op.inputs()[0];
        int out = op.outputs()[0];
        switch (op.code()) {
            case QUANTIZE : {
                TensorInfo o = info(out);
                float[] x = f32[in];
                byte[] y = i8[out];
                for (int k = 0; k < x.length; k++) {
                    int q = (int) QuantMath.round(x[k] / o.scale()) + o.zeroPoint();
                    y[k] = (byte) QuantMath.clamp(q, -128, 127);
                }
                break;
            }
            case DEQUANTIZE : {
                TensorInfo t = info(in);
                byte[] x = i8[in];
                float[] y = f32[out];
                for (int k = 0; k < x.length; k++) {
                    y[k] = (float) ((double) t.scale() * (x[k] - t.zeroPoint()));
                }
                break;
            }
            case FULLY_CONNECTED :
                if (type(in) == TensorInfo.FLOAT32) {
                    fullyConnectedFloat(op);
                } else {
                    fullyConnectedInt8(op, rq);
                }
                break;
            case LOGISTIC :
                if (type(in) == TensorInfo.FLOAT32) {
                    float[] x = f32[in];
                    float[] y = f32[out];
                    for (int k = 0; k < x.length; k++) {
                        y[k] = (float) (1.0 / (1.0 + Math.exp(-x[k])));
                    }
                } else {
                    logisticInt8(in, out);
                }
                break;
            case RELU :
                if (type(in) == TensorInfo.FLOAT32) {
                    float[] x = f32[in];
                    float[] y = f32[out];
                    for (int k = 0; k < x.length; k++) {
                        y[k] = Math.max(0f, x[k]);
                    }
                } else {
                    reluInt8(in, out, rq);
                }
                break;
            case SOFTMAX :
                softmax(f32[in], f32[out], op.beta());
                break;
            case ADD :
            case MUL : {
                float[] a = f32[in];
                float[] b = f32[op.inputs()[1]];
                float[] y = f32[out];
                for (int k = 0; k < y.length; k++) {
                    y[k] = QuantMath.activate(op.code() == Op.Code.ADD ? a[k] + b[k] : a[k] * b[k], op.activation());
                }
                break;
            }
            case RESHAPE :
                copy(in, out);
                break;
            default :
                throw new IllegalStateException("unprepared operator " + op.code());
        }
    }

    private void fullyConnectedFloat(Op op) {
        float[] x = f32[op.inputs()[0]];
        float[] w = f32[op.inputs()[1]];
        float[] b = op.inputs().length > 2 && op.inputs()[2] >= 0 ? f32[op.inputs()[2]] : null;
        float[] y = f32[op.outputs()[0]];
        int units = info(op.inputs()[1]).shape()[0];
        int depth = info(op.inputs()[1]).shape()[1];
        int batches = x.length / depth;
        for (int n = 0; n < batches; n++) {
            for (int u = 0; u < units; u++) {
                float acc = 0f;
                for (int d = 0; d < depth; d++) {
                    acc += x[n * depth + d] * w[u * depth + d];
                }
                if (b != null) {
                    acc += b[u];
                }
                y[n * units + u] = QuantMath.activate(acc, op.activation());
            }
        }
    }

    private void fullyConnectedInt8(Op op, int[] rq) {
        int inT = op.inputs()[0];
        byte[] x = i8[inT];
        byte[] w = i8[op.inputs()[1]];
        int[] b = op.inputs().length > 2 && op.inputs()[2] >= 0 ? i32[op.inputs()[2]] : null;
        byte[] y = i8[op.outputs()[0]];
        int inOffset = -info(inT).zeroPoint();
        int outZp = info(op.outputs()[0]).zeroPoint();
        int units = info(op.inputs()[1]).shape()[0];
        int depth = info(op.inputs()[1]).shape()[1];
        int batches = x.length / depth;
        for (int n = 0; n < batches; n++) {
            for (int u = 0; u < units; u++) {
                int acc = 0;
                for (int d = 0; d < depth; d++) {
                    acc += w[u * depth + d] * (x[n * depth + d] + inOffset);
                }
                if (b != null) {
                    acc += b[u];
                }
                int v = QuantMath.multiplyByQuantizedMultiplier(acc, rq[0], rq[1]) + outZp;
                y[n * units + u] = (byte) QuantMath.clamp(v, rq[2], rq[3]);
            }
        }
    }

    /** As TFLite's int8 LOGISTIC lookup table: dequantize, sigmoid, round, requantize. */
    private void logisticInt8(int in, int out) {
        TensorInfo a = info(in);
        TensorInfo o = info(out);
        byte[] x = i8[in];
        byte[] y = i8[out];
        float inverse = 1f / o.scale();
        for (int k = 0; k < x.length; k++) {
            float v = a.scale() * (x[k] - a.zeroPoint());
            float s = (float) (1.0 / (1.0 + Math.exp(-v)));
            int q = (int) (QuantMath.round(s * inverse) + o.zeroPoint());
            y[k] = (byte) QuantMath.clamp(q, -128, 127);
        }
    }

    private void reluInt8(int in, int out, int[] rq) {
        TensorInfo a = info(in);
        TensorInfo o = info(out);
        byte[] x = i8[in];
        byte[] y = i8[out];
        int lo = Math.max(-128, o.zeroPoint());
        for (int k = 0; k < x.length; k++) {
            int v = o.zeroPoint() + QuantMath.multiplyByQuantizedMultiplier(x[k] - a.zeroPoint(), rq[0], rq[1]);
            y[k] = (byte) QuantMath.clamp(v, lo, 127);
        }
    }

    private static void softmax(float[] x, float[] y, float beta) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < x.length; k++) {
            y[k] = (float) Math.exp((x[k] - max) * beta);
            sum += y[k];
        }
        for (int k = 0; k < x.length; k++) {
            y[k] = (float) (y[k] / sum);
        }
    }

    private void copy(int in, int out) {
        if (f32[in] != null) {
            System.arraycopy(f32[in], 0, f32[out], 0, f32[in].length);
        } else if (i8[in] != null) {
            System.arraycopy(i8[in], 0, i8[out], 0, i8[in].length);
        } else {
            System.arraycopy(i32[in], 0, i32[out], 0, i32[in].length);
        }
    }

    @Override
    public void close() {
        // heap only
    }
}
