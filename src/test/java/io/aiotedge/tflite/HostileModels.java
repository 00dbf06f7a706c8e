package io.aiotedge.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Hand-built {@code .tflite} flatbuffers for the pre-parse tests: a minimal valid model (one
 * FULLY_CONNECTED of a [1,2] float input to a [1,1] output, weights {@link #W0}, {@link #W1},
 * bias {@link #BIAS}) and the same model with one hostile field each, written field by field
 * like TFLite's schema lays them out (slot numbers in the comments).
 */
final class HostileModels {
    static final float W0 = 1234.5f;
    static final float W1 = -6789.25f;
    static final float BIAS = 0.5f;

    /** What to add to the valid model. */
    enum Twist {
        NONE, SPARSE_TENSOR, CUSTOM_QUANTIZATION, CUSTOM_OPTIONS, WRONG_OPTIONS_TYPE, UNKNOWN_FC_OPTION, EXTERNAL_BUFFER, HUGE_SHAPE, UNKNOWN_TENSOR_FIELD, TWO_SUBGRAPHS, DYNAMIC_BATCH, DYNAMIC_FEATURES
    }

    private HostileModels() {
    }

    static byte[] valid() {
        return build(Twist.NONE);
    }

    static byte[] build(Twist twist) {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        int wData = floats(b, W0, W1);
        int bData = floats(b, BIAS);
        int[] buffers = {buffer(b, 0, false), buffer(b, wData, twist == Twist.EXTERNAL_BUFFER),
                buffer(b, bData, false)};
        int[] tensors = {
                tensor(b, "input",
                        twist == Twist.HUGE_SHAPE ? new int[] {65536, 65536, 65536, 65536} : new int[] {1, 2}, 0,
                        twist),
                tensor(b, "weights", new int[] {1, 2}, 1, Twist.NONE),
                tensor(b, "bias", new int[] {1}, 2, Twist.NONE),
                tensor(b, "output", new int[] {1, 1}, 0, Twist.NONE)};
        int op = operator(b, twist);
        int sg = subgraph(b, tensors, op);
        b.startTable(4); // OperatorCode
        b.addByte(0, (byte) 9, 0); // 0 deprecated_builtin_code FULLY_CONNECTED
        b.addInt(2, 1, 0); // 2 version
        b.addInt(3, 9, 0); // 3 builtin_code
        int code = b.endTable();
        int codes = b.createVectorOfTables(new int[] {code});
        int subgraphs = b.createVectorOfTables(twist == Twist.TWO_SUBGRAPHS ? new int[] {sg, sg} : new int[] {sg});
        int bufferVec = b.createVectorOfTables(buffers);
        int desc = b.createString("hostile-models");
        b.startTable(5); // Model
        b.addInt(0, 3, 0); // 0 version
        b.addOffset(1, codes, 0); // 1 operator_codes
        b.addOffset(2, subgraphs, 0); // 2 subgraphs
        b.addOffset(3, desc, 0); // 3 description
        b.addOffset(4, bufferVec, 0); // 4 buffers
        b.finish(b.endTable(), "TFL3");
        return b.sizedByteArray();
    }

    private static int ints(FlatBufferBuilder b, int[] v) {
        b.startVector(4, v.length, 4);
        for (int i = v.length - 1; i >= 0; i--) {
            b.addInt(v[i]);
        }
        return b.endVector();
    }

    private static int floats(FlatBufferBuilder b, float... values) {
        ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putFloat(v);
        }
        return b.createByteVector(bb.array());
    }

    private static int buffer(FlatBufferBuilder b, int data, boolean external) {
        b.startTable(3); // Buffer
        if (data != 0) {
            b.addOffset(0, data, 0); // 0 data
        }
        if (external) {
            b.addLong(1, 4096L, 0L); // 1 offset (data kept after the flatbuffer)
            b.addLong(2, 8L, 0L); // 2 size
        }
        return b.endTable();
    }

    private static int tensor(FlatBufferBuilder b, String name, int[] shape, int buffer, Twist twist) {
        int shapeVec = ints(b, shape);
        int nameOff = b.createString(name);
        int quant = 0;
        if (twist == Twist.CUSTOM_QUANTIZATION) {
            int custom = b.createByteVector(new byte[] {1, 2, 3});
            b.startTable(1); // CustomQuantization
            b.addOffset(0, custom, 0); // 0 custom
            int details = b.endTable();
            int scale = b.createVectorOfTables(new int[0]);
            b.startTable(7); // QuantizationParameters
            b.addOffset(2, scale, 0); // 2 scale (empty)
            b.addByte(4, (byte) 1, 0); // 4 details_type CustomQuantization
            b.addOffset(5, details, 0); // 5 details
            quant = b.endTable();
        }
        int signature = twist == Twist.DYNAMIC_BATCH ? ints(b, new int[] {-1, 2})
                : twist == Twist.DYNAMIC_FEATURES ? ints(b, new int[] {1, -1}) : 0;
        int sparsity = 0;
        if (twist == Twist.SPARSE_TENSOR) {
            int order = ints(b, new int[] {0, 1});
            b.startTable(3); // SparsityParameters
            b.addOffset(0, order, 0); // 0 traversal_order
            sparsity = b.endTable();
        }
        b.startTable(12); // Tensor
        b.addOffset(0, shapeVec, 0); // 0 shape
        b.addByte(1, (byte) 0, 1); // 1 type FLOAT32 (written: default differs)
        b.addInt(2, buffer, -1); // 2 buffer
        b.addOffset(3, nameOff, 0); // 3 name
        if (quant != 0) {
            b.addOffset(4, quant, 0); // 4 quantization
        }
        if (sparsity != 0) {
            b.addOffset(6, sparsity, 0); // 6 sparsity
        }
        if (signature != 0) {
            b.addOffset(7, signature, 0); // 7 shape_signature
        }
        if (twist == Twist.UNKNOWN_TENSOR_FIELD) {
            b.addInt(11, 7, 0); // 11: a field of a future schema
        }
        return b.endTable();
    }

    private static int operator(FlatBufferBuilder b, Twist twist) {
        int in = ints(b, new int[] {0, 1, 2});
        int out = ints(b, new int[] {3});
        int custom = twist == Twist.CUSTOM_OPTIONS ? b.createByteVector(new byte[] {0x10, 0x20, 0x30}) : 0;
        b.startTable(7); // FullyConnectedOptions
        b.addByte(0, (byte) 0, 1); // 0 fused_activation_function NONE
        if (twist == Twist.UNKNOWN_FC_OPTION) {
            b.addInt(6, 42, 0); // 6: not in any schema we read
        }
        int options = b.endTable();
        b.startTable(7); // Operator
        b.addInt(0, 0, -1); // 0 opcode_index
        b.addOffset(1, in, 0); // 1 inputs
        b.addOffset(2, out, 0); // 2 outputs
        b.addByte(3, (byte) (twist == Twist.WRONG_OPTIONS_TYPE ? 1 : 8), 0); // 3 builtin_options_type
        b.addOffset(4, options, 0); // 4 builtin_options
        if (custom != 0) {
            b.addOffset(5, custom, 0); // 5 custom_options
        }
        return b.endTable();
    }

    private static int subgraph(FlatBufferBuilder b, int[] tensors, int op) {
        int tensorVec = b.createVectorOfTables(tensors);
        int inputs = ints(b, new int[] {0});
        int outputs = ints(b, new int[] {3});
        int ops = b.createVectorOfTables(new int[] {op});
        b.startTable(5); // SubGraph
        b.addOffset(0, tensorVec, 0); // 0 tensors
        b.addOffset(1, inputs, 0); // 1 inputs
        b.addOffset(2, outputs, 0); // 2 outputs
        b.addOffset(3, ops, 0); // 3 operators
        return b.endTable();
    }

    /** Where the little-endian float {@code v} first occurs in {@code file}. */
    static int indexOf(byte[] file, float v) {
        byte[] p = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
        outer : for (int i = 0; i + 4 <= file.length; i++) {
            for (int k = 0; k < 4; k++) {
                if (file[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no " + v + " in the file");
    }

    static void putInt(byte[] file, int at, int v) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }
}
