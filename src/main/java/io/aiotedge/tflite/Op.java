package io.aiotedge.tflite;

import java.util.Map;

/**
 * One operator of a model graph, with the options our interpreter reads.
 *
 * @param activation fused activation: 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6
 * @param beta SOFTMAX's beta
 */
record Op(Code code, int version, int[] inputs, int[] outputs, int activation, float beta) {

    /** The builtin operators the java backend runs, with their TFLite codes. */
    enum Code {
        ADD(0), DEQUANTIZE(6), FULLY_CONNECTED(9), LOGISTIC(14), MUL(18), RELU(19), RESHAPE(22), SOFTMAX(25), QUANTIZE(
                114);

        final int builtin;

        Code(int builtin) {
            this.builtin = builtin;
        }

        static Code of(int builtin) {
            for (Code c : values()) {
                if (c.builtin == builtin) {
                    return c;
                }
            }
            return null;
        }
    }

    /** Names of other builtin codes, for a load error that says what is missing. */
    static final Map<Integer, String> OTHER_NAMES = Map.ofEntries(Map.entry(1, "AVERAGE_POOL_2D"),
            Map.entry(2, "CONCATENATION"), Map.entry(3, "CONV_2D"), Map.entry(4, "DEPTHWISE_CONV_2D"),
            Map.entry(17, "MAX_POOL_2D"), Map.entry(21, "RELU6"), Map.entry(28, "TANH"), Map.entry(32, "CUSTOM"),
            Map.entry(34, "PAD"), Map.entry(39, "TRANSPOSE"), Map.entry(40, "MEAN"), Map.entry(41, "SUB"),
            Map.entry(42, "DIV"), Map.entry(43, "SQUEEZE"), Map.entry(47, "EXP"), Map.entry(53, "CAST"),
            Map.entry(98, "LEAKY_RELU"));

    static String name(int builtin) {
        Code c = Code.of(builtin);
        return c != null ? c.name() : OTHER_NAMES.getOrDefault(builtin, "builtin operator " + builtin);
    }
}
