package io.aiotedge.tflite;

/**
 * One tensor of a model graph.
 *
 * @param type TFLite TensorType: 0 float32, 2 int32, 9 int8
 * @param data the constant contents (little-endian), or null for activations
 * @param scale quantization scale (0 when not quantized)
 * @param zeroPoint quantization zero point
 */
record TensorInfo(String name, int type, int[] shape, byte[] data, float scale, int zeroPoint) {
    static final int FLOAT32 = 0;
    static final int INT32 = 2;
    static final int INT8 = 9;

    int elements() {
        int n = 1;
        for (int d : shape) {
            n *= Math.max(d, 1);
        }
        return n;
    }

    static String typeName(int type) {
        switch (type) {
            case FLOAT32 :
                return "float32";
            case INT32 :
                return "int32";
            case INT8 :
                return "int8";
            case 3 :
                return "uint8";
            case 1 :
                return "float16";
            case 4 :
                return "int64";
            default :
                return "type " + type;
        }
    }
}
