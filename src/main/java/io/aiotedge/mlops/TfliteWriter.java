package io.aiotedge.mlops;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the few TFLite schema tables our models need with flatbuffers-java's builder (no code
 * generation: Debian's flatc refuses the current schema; docs/architecture.md, "Library
 * pitfalls"). Field numbers are the vtable slots of schema v3: buffer 0 is the empty sentinel,
 * both {@code deprecated_builtin_code} and {@code builtin_code} are set. Build tensors and
 * operators, then {@link #finish}. Single use.
 */
final class TfliteWriter {
    static final int FLOAT32 = 0;
    static final int INT32 = 2;
    static final int INT8 = 9;
    static final int OP_ADD = 0;
    static final int OP_DEQUANTIZE = 6;
    static final int OP_MUL = 18;
    static final int OP_FULLY_CONNECTED = 9;
    static final int OP_LOGISTIC = 14;
    static final int OP_QUANTIZE = 114;
    private static final int OPTIONS_FULLY_CONNECTED = 8;

    private record TensorSpec(String name, int type, int[] shape, int buffer, float scale, long zeroPoint) {
    }

    private record OpSpec(int code, int version, int[] inputs, int[] outputs, int fusedActivation) {
    }

    private final List<byte[]> buffers = new ArrayList<>(List.of(new byte[0]));
    private final List<TensorSpec> tensors = new ArrayList<>();
    private final List<OpSpec> ops = new ArrayList<>();

    /** An activation tensor; returns its index. {@code scale} 0 = not quantized. */
    int tensor(String name, int type, int[] shape, float scale, long zeroPoint) {
        tensors.add(new TensorSpec(name, type, shape, 0, scale, zeroPoint));
        return tensors.size() - 1;
    }

    /** A constant tensor holding {@code data} (little-endian). */
    int constant(String name, int type, int[] shape, byte[] data, float scale, long zeroPoint) {
        buffers.add(data);
        tensors.add(new TensorSpec(name, type, shape, buffers.size() - 1, scale, zeroPoint));
        return tensors.size() - 1;
    }

    void op(int code, int version, int[] inputs, int[] outputs, int fusedActivation) {
        ops.add(new OpSpec(code, version, inputs, outputs, fusedActivation));
    }

    byte[] finish(int input, int output, String description) {
        FlatBufferBuilder b = new FlatBufferBuilder(4096);
        Map<String, Integer> codeIndex = new LinkedHashMap<>();
        List<OpSpec> codes = new ArrayList<>();
        for (OpSpec o : ops) {
            String key = o.code() + "/" + o.version();
            if (!codeIndex.containsKey(key)) {
                codeIndex.put(key, codes.size());
                codes.add(o);
            }
        }
        int[] bufferOffsets = new int[buffers.size()];
        for (int i = 0; i < buffers.size(); i++) {
            int data = buffers.get(i).length == 0 ? 0 : bytes(b, buffers.get(i));
            b.startTable(1);
            if (data != 0) {
                b.addOffset(0, data, 0);
            }
            bufferOffsets[i] = b.endTable();
        }
        int[] tensorOffsets = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            tensorOffsets[i] = tensor(b, tensors.get(i));
        }
        int[] opOffsets = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            OpSpec o = ops.get(i);
            int in = ints(b, o.inputs());
            int out = ints(b, o.outputs());
            int options = 0;
            if (o.code() == OP_FULLY_CONNECTED) {
                b.startTable(4);
                b.addByte(0, (byte) o.fusedActivation(), 0);
                options = b.endTable();
            }
            b.startTable(5);
            b.addInt(0, codeIndex.get(o.code() + "/" + o.version()), 0);
            b.addOffset(1, in, 0);
            b.addOffset(2, out, 0);
            if (options != 0) {
                b.addByte(3, (byte) OPTIONS_FULLY_CONNECTED, 0);
                b.addOffset(4, options, 0);
            }
            opOffsets[i] = b.endTable();
        }
        int tensorVec = b.createVectorOfTables(tensorOffsets);
        int inputs = ints(b, new int[] {input});
        int outputs = ints(b, new int[] {output});
        int opVec = b.createVectorOfTables(opOffsets);
        int sgName = b.createString("main");
        b.startTable(5);
        b.addOffset(0, tensorVec, 0);
        b.addOffset(1, inputs, 0);
        b.addOffset(2, outputs, 0);
        b.addOffset(3, opVec, 0);
        b.addOffset(4, sgName, 0);
        int subgraph = b.endTable();
        int[] codeOffsets = new int[codes.size()];
        for (int i = 0; i < codes.size(); i++) {
            b.startTable(4);
            b.addByte(0, (byte) Math.min(codes.get(i).code(), 127), 0);
            b.addInt(2, codes.get(i).version(), 1);
            b.addInt(3, codes.get(i).code(), 0);
            codeOffsets[i] = b.endTable();
        }
        int codeVec = b.createVectorOfTables(codeOffsets);
        int sgVec = b.createVectorOfTables(new int[] {subgraph});
        int desc = b.createString(description);
        int bufVec = b.createVectorOfTables(bufferOffsets);
        b.startTable(5);
        b.addInt(0, 3, 0);
        b.addOffset(1, codeVec, 0);
        b.addOffset(2, sgVec, 0);
        b.addOffset(3, desc, 0);
        b.addOffset(4, bufVec, 0);
        int model = b.endTable();
        b.finish(model, "TFL3");
        return b.sizedByteArray();
    }

    private static int tensor(FlatBufferBuilder b, TensorSpec t) {
        int shape = ints(b, t.shape());
        int name = b.createString(t.name());
        int quant = 0;
        if (t.scale() > 0) {
            b.startVector(4, 1, 4);
            b.addFloat(t.scale());
            int scale = b.endVector();
            b.startVector(8, 1, 8);
            b.addLong(t.zeroPoint());
            int zp = b.endVector();
            b.startTable(7);
            b.addOffset(2, scale, 0);
            b.addOffset(3, zp, 0);
            quant = b.endTable();
        }
        b.startTable(5);
        b.addOffset(0, shape, 0);
        b.addByte(1, (byte) t.type(), 0);
        b.addInt(2, t.buffer(), 0);
        b.addOffset(3, name, 0);
        if (quant != 0) {
            b.addOffset(4, quant, 0);
        }
        return b.endTable();
    }

    private static int ints(FlatBufferBuilder b, int[] v) {
        b.startVector(4, v.length, 4);
        for (int i = v.length - 1; i >= 0; i--) {
            b.addInt(v[i]);
        }
        return b.endVector();
    }

    private static int bytes(FlatBufferBuilder b, byte[] v) {
        b.startVector(1, v.length, 16); // schema: force_align 16
        for (int i = v.length - 1; i >= 0; i--) {
            b.addByte(v[i]);
        }
        return b.endVector();
    }

    static byte[] le(float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        return bb.array();
    }

    static byte[] le(int[] v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().put(v);
        return bb.array();
    }
}
