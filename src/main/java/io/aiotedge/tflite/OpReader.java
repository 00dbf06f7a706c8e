package io.aiotedge.tflite;

/**
 * Reads and checks one operator of a model (see {@link ModelGraph}): a builtin operator we run,
 * tensor indices inside the graph, and builtin options of the type that operator takes with no
 * field we do not read; custom options, a second options union, intermediates and mutable
 * variable inputs are refused.
 */
final class OpReader {
    static final int OPTIONS_FULLY_CONNECTED = 8;
    static final int OPTIONS_SOFTMAX = 9;
    static final int OPTIONS_ADD = 11;
    static final int OPTIONS_RESHAPE = 17;
    static final int OPTIONS_MUL = 21;
    private static final String[] OPERATOR_FIELDS = {"opcode_index", "inputs", "outputs", "builtin_options_type",
            "builtin_options", "custom_options", "custom_options_format", "mutating_variable_inputs", "intermediates",
            "large_custom_options_offset", "large_custom_options_size", "builtin_options_2_type", "builtin_options_2"};

    private OpReader() {
    }

    static Op op(FlatTable o, int[] opcodes, int[] versions, int tensorCount, int index) throws ModelFormatException {
        int oi = o.getInt(0, 0);
        if (oi < 0 || oi >= opcodes.length) {
            throw new ModelFormatException("operator " + index + " uses operator code " + oi + " of " + opcodes.length);
        }
        Op.Code code = Op.Code.of(opcodes[oi]);
        if (code == null) {
            throw new ModelFormatException("unsupported operator " + Op.name(opcodes[oi]) + " (operator " + index
                    + "); the java backend runs " + java.util.Arrays.toString(Op.Code.values()));
        }
        String where = code + " (operator " + index + ")";
        if (o.has(5) || o.has(9) || o.has(10)) {
            throw new ModelFormatException(where + " has custom options; not supported");
        }
        ModelGraph.understood(o, where, OPERATOR_FIELDS, 0, 1, 2, 3, 4);
        int[] in = o.ints(1);
        int[] out = o.ints(2);
        for (int t : ModelGraph.concat(in, out)) {
            if (t < -1 || t >= tensorCount) {
                throw new ModelFormatException(where + " refers to tensor " + t);
            }
        }
        int type = o.getUByte(3);
        FlatTable opts = o.table(4, "builtin_options");
        int activation = 0;
        float beta = 1f;
        if (opts != null || type != 0) {
            int expected = expectedOptions(code);
            if (type != expected && !(expected == 0 && opts != null && empty(opts))) {
                throw new ModelFormatException(where + " has builtin options of type " + type + "; "
                        + (expected == 0 ? "it takes none" : "expected type " + expected));
            }
            if (opts == null) {
                throw new ModelFormatException(where + " names builtin options of type " + type + " but has none");
            }
            activation = readOptions(code, opts, where);
            beta = code == Op.Code.SOFTMAX ? opts.getFloat(0, 1f) : 1f;
        }
        if (activation < 0 || activation > 3) {
            throw new ModelFormatException(where + " has fused activation " + activation
                    + "; NONE, RELU, RELU_N1_TO_1 and RELU6 are supported");
        }
        if (!(beta > 0) || !Float.isFinite(beta)) {
            throw new ModelFormatException(where + " has softmax beta " + beta);
        }
        return new Op(code, versions[oi], in, out, activation, beta);
    }

    /** The BuiltinOptions type an operator's options table must have; 0 = it takes none we read. */
    private static int expectedOptions(Op.Code code) {
        switch (code) {
            case FULLY_CONNECTED :
                return OPTIONS_FULLY_CONNECTED;
            case SOFTMAX :
                return OPTIONS_SOFTMAX;
            case ADD :
                return OPTIONS_ADD;
            case MUL :
                return OPTIONS_MUL;
            case RESHAPE :
                return OPTIONS_RESHAPE;
            default :
                return 0;
        }
    }

    private static boolean empty(FlatTable t) {
        for (int f = 0; f < t.fieldSlots(); f++) {
            if (t.has(f)) {
                return false;
            }
        }
        return true;
    }

    /** Checks the options' fields; returns the fused activation. */
    private static int readOptions(Op.Code code, FlatTable opts, String where) throws ModelFormatException {
        String what = where + " options";
        switch (code) {
            case FULLY_CONNECTED :
                ModelGraph.understood(opts, what, new String[] {"fused_activation_function", "weights_format",
                        "keep_num_dims", "asymmetric_quantize_inputs", "quantized_bias_type"}, 0, 1, 2, 3);
                if (opts.getByte(1, 0) != 0) {
                    throw new ModelFormatException("FULLY_CONNECTED with shuffled weights is not supported");
                }
                if (opts.getByte(2, 0) != 0 || opts.getByte(3, 0) != 0) {
                    throw new ModelFormatException(where + " sets keep_num_dims or asymmetric_quantize_inputs; "
                            + "not supported");
                }
                return opts.getByte(0, 0);
            case ADD :
                ModelGraph.understood(opts, what, new String[] {"fused_activation_function", "pot_scale_int16"}, 0, 1);
                return opts.getByte(0, 0);
            case MUL :
                ModelGraph.understood(opts, what, new String[] {"fused_activation_function"}, 0);
                return opts.getByte(0, 0);
            case SOFTMAX :
                ModelGraph.understood(opts, what, new String[] {"beta"}, 0);
                return 0;
            case RESHAPE :
                ModelGraph.understood(opts, what, new String[] {"new_shape"}, 0);
                opts.ints(0);
                return 0;
            default :
                return 0;
        }
    }
}
