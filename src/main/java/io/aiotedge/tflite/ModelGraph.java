package io.aiotedge.tflite;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .tflite} model read into what the java backend runs: subgraph 0's tensors (with
 * constant data and per-tensor quantization) and its operators in order. This is also the
 * pre-parse every model passes before TensorFlow Lite's native runtime sees it
 * ({@link Backend#open}): loading refuses, with a message naming it, anything the interpreter
 * would not run exactly and anything this reader does not understand, so the native code only
 * ever gets a file whose every field we have read and bounds-checked: an operator we lack, a
 * custom operator, a tensor type other than float32/int8/int32, per-channel or custom
 * quantization, sparse or variable tensors, unknown builtin options, custom options, buffers kept
 * outside the flatbuffer, a second subgraph, and any field of a newer schema.
 */
final class ModelGraph {
    static final int SCHEMA_VERSION = 3;
    static final int MAX_TENSOR_ELEMENTS = 16 * 1024 * 1024;
    private static final String[] MODEL_FIELDS = {"version", "operator_codes", "subgraphs", "description", "buffers",
            "metadata_buffer", "metadata", "signature_defs"};
    private static final String[] SUBGRAPH_FIELDS = {"tensors", "inputs", "outputs", "operators", "name",
            "debug_metadata_index"};
    private static final String[] OPCODE_FIELDS = {"deprecated_builtin_code", "custom_code", "version", "builtin_code"};
    private static final String[] BUFFER_FIELDS = {"data", "offset", "size"};
    private static final String[] METADATA_FIELDS = {"name", "buffer"};
    private static final String[] SIGNATURE_FIELDS = {"inputs", "outputs", "signature_key", "deprecated_tag",
            "subgraph_index"};
    private static final String[] TENSOR_MAP_FIELDS = {"name", "tensor_index"};

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
        understood(model, "the model", MODEL_FIELDS, 0, 1, 2, 3, 4, 5, 6, 7);
        int version = model.getInt(0, 0);
        if (version != SCHEMA_VERSION) {
            throw new ModelFormatException(
                    "TFLite schema version " + version + " (this runtime reads " + SCHEMA_VERSION + ")");
        }
        if (model.vectorLength(2) != 1) {
            throw new ModelFormatException(
                    "the model has " + model.vectorLength(2) + " subgraphs; exactly 1 is supported");
        }
        if (model.has(3)) {
            model.string(3);
        }
        int[] opcodes = new int[model.vectorLength(1)];
        int[] opVersions = new int[opcodes.length];
        for (int i = 0; i < opcodes.length; i++) {
            FlatTable oc = model.tableAt(1, i, "operator_codes");
            if (oc.has(1)) {
                throw new ModelFormatException("custom operator '" + oc.string(1) + "' is not supported");
            }
            understood(oc, "operator code " + i, OPCODE_FIELDS, 0, 2, 3);
            opcodes[i] = Math.max(oc.getByte(0, 0), oc.getInt(3, 0));
            opVersions[i] = oc.getInt(2, 1);
            if (opVersions[i] < 1) {
                throw new ModelFormatException("operator code " + i + " has version " + opVersions[i]);
            }
        }
        int buffers = model.vectorLength(4);
        checkBuffers(model, buffers);
        FlatTable sg = model.tableAt(2, 0, "subgraphs");
        understood(sg, "subgraph 0", SUBGRAPH_FIELDS, 0, 1, 2, 3, 4, 5);
        if (sg.has(4)) {
            sg.string(4);
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (int i = 0; i < sg.vectorLength(0); i++) {
            tensors.add(TensorReader.tensor(model, sg.tableAt(0, i, "tensors"), buffers, i));
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < sg.vectorLength(3); i++) {
            ops.add(OpReader.op(sg.tableAt(3, i, "operators"), opcodes, opVersions, tensors.size(), i));
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
        checkDataflow(tensors, ops, in[0], out[0]);
        checkMetadata(model, buffers);
        checkSignatures(model, tensors.size());
        return new ModelGraph(List.copyOf(tensors), List.copyOf(ops), in, out);
    }

    /**
     * Refuses a table that sets a field outside {@code understood}: the native runtime would act
     * on a field this reader never checked.
     */
    static void understood(FlatTable t, String what, String[] names, int... understood) throws ModelFormatException {
        for (int f = 0; f < t.fieldSlots(); f++) {
            if (t.has(f) && !contains(understood, f)) {
                String name = f < names.length ? names[f] : "field " + f;
                throw new ModelFormatException(what + " sets " + name + ", which this runtime does not support");
            }
        }
    }

    /**
     * Every operator reads only the graph input, constants or what an earlier operator wrote, and
     * writes neither a constant nor the input; the graph output is written. (The native runtime
     * otherwise fails at the first inference, not at load: "Input tensor lacks data".)
     */
    private static void checkDataflow(List<TensorInfo> tensors, List<Op> ops, int input, int output)
            throws ModelFormatException {
        boolean[] ready = new boolean[tensors.size()];
        ready[input] = true;
        for (int t = 0; t < ready.length; t++) {
            ready[t] |= tensors.get(t).data() != null;
        }
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            for (int t : op.inputs()) {
                if (t >= 0 && !ready[t]) {
                    throw new ModelFormatException(op.code() + " (operator " + i + ") reads tensor '"
                            + tensors.get(t).name() + "', which nothing writes before it");
                }
            }
            for (int t : op.outputs()) {
                if (t < 0 || ready[t]) {
                    throw new ModelFormatException(op.code() + " (operator " + i + ") writes "
                            + (t < 0 ? "no tensor" : "tensor '" + tensors.get(t).name() + "', which is already set"));
                }
                ready[t] = true;
            }
        }
        if (!ready[output]) {
            throw new ModelFormatException("no operator writes the output tensor '" + tensors.get(output).name() + "'");
        }
    }

    private static void checkBuffers(FlatTable model, int buffers) throws ModelFormatException {
        for (int i = 0; i < buffers; i++) {
            FlatTable b = model.tableAt(4, i, "buffers");
            understood(b, "buffer " + i, BUFFER_FIELDS, 0);
            b.bytes(0);
        }
    }

    private static void checkMetadata(FlatTable model, int buffers) throws ModelFormatException {
        for (int b : model.ints(5)) {
            if (b < 0 || b >= buffers) {
                throw new ModelFormatException("metadata_buffer refers to buffer " + b + " of " + buffers);
            }
        }
        for (int i = 0; i < model.vectorLength(6); i++) {
            FlatTable m = model.tableAt(6, i, "metadata");
            understood(m, "metadata " + i, METADATA_FIELDS, 0, 1);
            m.string(0);
            int b = m.getInt(1, 0);
            if (b < 0 || b >= buffers) {
                throw new ModelFormatException("metadata " + i + " refers to buffer " + b + " of " + buffers);
            }
        }
    }

    private static void checkSignatures(FlatTable model, int tensorCount) throws ModelFormatException {
        for (int i = 0; i < model.vectorLength(7); i++) {
            FlatTable s = model.tableAt(7, i, "signature_defs");
            understood(s, "signature " + i, SIGNATURE_FIELDS, 0, 1, 2, 4);
            s.string(2);
            if (s.getInt(4, 0) != 0) {
                throw new ModelFormatException("signature " + i + " names subgraph " + s.getInt(4, 0) + " of 1");
            }
            for (int field = 0; field <= 1; field++) {
                for (int k = 0; k < s.vectorLength(field); k++) {
                    FlatTable m = s.tableAt(field, k, field == 0 ? "inputs" : "outputs");
                    understood(m, "signature " + i + " tensor map " + k, TENSOR_MAP_FIELDS, 0, 1);
                    m.string(0);
                    int t = m.getInt(1, 0);
                    if (t < 0 || t >= tensorCount) {
                        throw new ModelFormatException("signature " + i + " refers to tensor " + t + " of "
                                + tensorCount);
                    }
                }
            }
        }
    }

    static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
