package io.aiotedge.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .tflite} model read into what the java backend runs: subgraph 0's tensors (with
 * constant data and per-tensor quantization) and its operators in order. Loading refuses, with a
 * message naming it, anything the interpreter would not run exactly: an operator we lack, a
 * tensor type other than float32/int8/int32, per-channel quantization, a second subgraph.
 */
final class ModelGraph {
    static final int SCHEMA_VERSION = 3;
    static final int MAX_TENSOR_ELEMENTS = 16 * 1024 * 1024;

    final List<TensorInfo> tensors;
    final List<Op> ops;
    final int[] inputs;
    final int[] outputs;

    private ModelGraph(List<TensorInfo> tensors, List<Op> ops, int[] inputs, int[] outputs) {
        this.tensors = tensors;
        this.ops = ops;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    static ModelGraph parse(byte[] file) throws ModelFormatException {
        FlatTable model = FlatTable.root(file, "TFL3");
        int version = model.getInt(0, 0);
        if (version != SCHEMA_VERSION) {
            throw new ModelFormatException("TFLite schema version " + version + " (this runtime reads " + SCHEMA_VERSION + ")");
        }
        if (model.vectorLength(2) != 1) {
            throw new ModelFormatException("the model has " + model.vectorLength(2) + " subgraphs; exactly 1 is supported");
        }
        int[] opcodes = new int[model.vectorLength(1)];
        int[] opVersions = new int[opcodes.length];
        for (int i = 0; i < opcodes.length; i++) {
            FlatTable oc = model.tableAt(1, i, "operator_codes");
            opcodes[i] = Math.max(oc.getByte(0, 0), oc.getInt(3, 0));
            opVersions[i] = oc.getInt(2, 1);
            if (oc.has(1)) {
                throw new ModelFormatException("custom operator '" + oc.string(1) + "' is not supported");
            }
        }
        int buffers = model.vectorLength(4);
        FlatTable sg = model.tableAt(2, 0, "subgraphs");
        List<TensorInfo> tensors = new ArrayList<>();
        for (int i = 0; i < sg.vectorLength(0); i++) {
            tensors.add(tensor(model, sg.tableAt(0, i, "tensors"), buffers, i));
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < sg.vectorLength(3); i++) {
            ops.add(op(sg.tableAt(3, i, "operators"), opcodes, opVersions, tensors.size(), i));
        }
        int[] in = sg.ints(1);
        int[] out = sg.ints(2);
        for (int t : concat(in, out)) {
            if (t < 0 || t >= tensors.size()) {
                throw new ModelFormatException("subgraph input/output tensor " + t + " does not exist");
            }
        }
        if (in.length != 1 || out.length != 1) {
            throw new ModelFormatException("the model has " + in.length + " inputs and " + out.length
                    + " outputs; exactly one of each is supported");
        }
        return new ModelGraph(List.copyOf(tensors), List.copyOf(ops), in, out);
    }

    private static TensorInfo tensor(FlatTable model, FlatTable t, int buffers, int index) throws ModelFormatException {
        int[] shape = t.ints(0);
        int type = t.getByte(1, 0);
        String name = t.has(3) ? t.string(3) : "tensor " + index;
        if (type != TensorInfo.FLOAT32 && type != TensorInfo.INT8 && type != TensorInfo.INT32) {
            throw new ModelFormatException("tensor '" + name + "' is " + TensorInfo.typeName(type)
                    + "; the java backend runs float32, int8 and int32 (bias) tensors");
        }
        long elems = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ModelFormatException("tensor '" + name + "' has a dynamic dimension; not supported");
            }
            elems *= Math.max(d, 1);
        }
        if (elems > MAX_TENSOR_ELEMENTS) {
            throw new ModelFormatException("tensor '" + name + "' has " + elems + " elements, more than " + MAX_TENSOR_ELEMENTS);
        }
        float scale = 0;
        int zp = 0;
        FlatTable q = t.table(4, "quantization");
        if (q != null) {
            float[] scales = q.floats(2);
            long[] zps = q.longs(3);
            if (scales.length > 1) {
                throw new ModelFormatException("tensor '" + name + "' is quantized per channel; not supported");
            }
            if (scales.length == 1) {
                scale = scales[0];
                zp = zps.length > 0 ? (int) zps[0] : 0;
                if (!(scale > 0) || !Float.isFinite(scale)) {
                    throw new ModelFormatException("tensor '" + name + "' has quantization scale " + scale);
                }
            }
        }
        int bufIndex = t.getInt(2, 0);
        if (bufIndex < 0 || bufIndex >= Math.max(buffers, 1)) {
            throw new ModelFormatException("tensor '" + name + "' refers to buffer " + bufIndex + " of " + buffers);
        }
        byte[] data = null;
        if (bufIndex > 0) {
            byte[] d = model.tableAt(4, bufIndex, "buffers").bytes(0);
            if (d.length > 0) {
                int width = type == TensorInfo.INT8 ? 1 : 4;
                if (d.length != elems * width) {
                    throw new ModelFormatException("tensor '" + name + "' has " + d.length + " bytes of data for "
                            + elems + " " + TensorInfo.typeName(type) + " elements");
                }
                data = d;
            }
        }
        return new TensorInfo(name, type, shape, data, scale, zp);
    }

    private static Op op(FlatTable o, int[] opcodes, int[] versions, int tensorCount, int index) throws ModelFormatException {
        int oi = o.getInt(0, 0);
        if (oi < 0 || oi >= opcodes.length) {
            throw new ModelFormatException("operator " + index + " uses operator code " + oi + " of " + opcodes.length);
        }
        Op.Code code = Op.Code.of(opcodes[oi]);
        if (code == null) {
            throw new ModelFormatException("unsupported operator " + Op.name(opcodes[oi]) + " (operator " + index
                    + "); the java backend runs " + java.util.Arrays.toString(Op.Code.values()));
        }
        int[] in = o.ints(1);
        int[] out = o.ints(2);
        for (int t : concat(in, out)) {
            if (t < -1 || t >= tensorCount) {
                throw new ModelFormatException(code + " (operator " + index + ") refers to tensor " + t);
            }
        }
        int activation = 0;
        float beta = 1f;
        FlatTable opts = o.table(4, "builtin_options");
        if (opts != null) {
            switch (code) {
                case FULLY_CONNECTED:
                    activation = opts.getByte(0, 0);
                    if (opts.getByte(1, 0) != 0) {
                        throw new ModelFormatException("FULLY_CONNECTED with shuffled weights is not supported");
                    }
                    break;
                case ADD:
                case MUL:
                    activation = opts.getByte(0, 0);
                    break;
                case SOFTMAX:
                    beta = opts.getFloat(0, 1f);
                    break;
                default:
                    break;
            }
        }
        if (activation < 0 || activation > 3) {
            throw new ModelFormatException(code + " (operator " + index + ") has fused activation " + activation
                    + "; NONE, RELU, RELU_N1_TO_1 and RELU6 are supported");
        }
        return new Op(code, versions[oi], in, out, activation, beta);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
