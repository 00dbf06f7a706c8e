package io.aiotedge.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The memory the java backend computes in: one array per tensor of a graph, allocated once at load,
 * of the tensor's type (float32, int8, or else int32), holding the constant contents where the
 * tensor has them. Indexed by tensor number; of the three arrays at an index exactly one is
 * non-null. Every invoke reuses them, so running allocates nothing. Not thread-safe.
 */
final class TensorArrays {
    final float[][] f32;
    final byte[][] i8;
    final int[][] i32;

    TensorArrays(List<TensorInfo> tensors) {
        int n = tensors.size();
        f32 = new float[n][];
        i8 = new byte[n][];
        i32 = new int[n][];
        for (int t = 0; t < n; t++) {
            allocate(t, tensors.get(t));
        }
    }

    private void allocate(int t, TensorInfo ti) {
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

    /** Copies tensor {@code in} into tensor {@code out} of the same type and size (RESHAPE). */
    void copy(int in, int out) {
        if (f32[in] != null) {
            System.arraycopy(f32[in], 0, f32[out], 0, f32[in].length);
        } else if (i8[in] != null) {
            System.arraycopy(i8[in], 0, i8[out], 0, i8[in].length);
        } else {
            System.arraycopy(i32[in], 0, i32[out], 0, i32[in].length);
        }
    }
}
