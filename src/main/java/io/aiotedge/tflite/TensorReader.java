package io.aiotedge.tflite;

/**
 * Reads and checks one tensor of a model (see {@link ModelGraph}): its type, a static shape whose
 * element count is computed with overflow-checked arithmetic, at most per-tensor quantization
 * without custom details, no sparsity, not variable, and constant data of exactly its size.
 */
final class TensorReader {
    static final int MAX_RANK = 6;
    private static final String[] TENSOR_FIELDS = {"shape", "type", "buffer", "name", "quantization", "is_variable",
            "sparsity", "shape_signature", "has_rank", "variant_tensors"};
    private static final String[] QUANT_FIELDS = {"min", "max", "scale", "zero_point", "details_type", "details",
            "quantized_dimension"};

    private TensorReader() {
    }

    static TensorInfo tensor(FlatTable model, FlatTable t, int buffers, int index) throws ModelFormatException {
        String name = t.has(3) ? t.string(3) : "tensor " + index;
        String what = "tensor '" + name + "'";
        if (t.has(6)) {
            throw new ModelFormatException(what + " is sparse (sparsity is set); sparse tensors are not supported");
        }
        if (t.getByte(5, 0) != 0) {
            throw new ModelFormatException(what + " is a variable tensor; not supported");
        }
        ModelGraph.understood(t, what, TENSOR_FIELDS, 0, 1, 2, 3, 4, 5, 7, 8);
        int[] shape = t.ints(0);
        int type = t.getByte(1, 0);
        if (type != TensorInfo.FLOAT32 && type != TensorInfo.INT8 && type != TensorInfo.INT32) {
            throw new ModelFormatException(what + " is " + TensorInfo.typeName(type)
                    + "; the java backend runs float32, int8 and int32 (bias) tensors");
        }
        int elems = elements(what, shape);
        int[] signature = t.ints(7);
        if (t.has(7) && !sameSignature(signature, shape)) {
            throw new ModelFormatException(what + " has shape_signature " + java.util.Arrays.toString(signature)
                    + " unlike its shape " + java.util.Arrays.toString(shape) + "; dynamic shapes are not supported");
        }
        Quant q = quantization(t.table(4, "quantization"), what, type);
        int bufIndex = t.getInt(2, 0);
        if (bufIndex < 0 || bufIndex >= Math.max(buffers, 1)) {
            throw new ModelFormatException(what + " refers to buffer " + bufIndex + " of " + buffers);
        }
        byte[] data = null;
        if (bufIndex > 0) {
            byte[] d = model.tableAt(4, bufIndex, "buffers").bytes(0);
            if (d.length > 0) {
                long expected = Math.multiplyExact((long) elems, type == TensorInfo.INT8 ? 1L : 4L);
                if (d.length != expected) {
                    throw new ModelFormatException(what + " has " + d.length + " bytes of data for "
                            + elems + " " + TensorInfo.typeName(type) + " elements");
                }
                data = d;
            }
        }
        return new TensorInfo(name, type, shape, data, q.scale(), q.zeroPoint());
    }

    /** The shape, or the shape with a dynamic batch ({@code -1} over a stored 1), as TF's converter writes it. */
    private static boolean sameSignature(int[] signature, int[] shape) {
        if (signature.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (signature[i] != shape[i] && !(i == 0 && signature[0] == -1 && shape[0] == 1)) {
                return false;
            }
        }
        return true;
    }

    /** The element count, refused past {@link ModelGraph#MAX_TENSOR_ELEMENTS}, never overflowing. */
    static int elements(String what, int[] shape) throws ModelFormatException {
        if (shape.length > MAX_RANK) {
            throw new ModelFormatException(what + " has rank " + shape.length + ", more than " + MAX_RANK);
        }
        long elems = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ModelFormatException(what + " has a dynamic dimension; not supported");
            }
            if (d == 0) { // an empty tensor: the native runtime allocates nothing for it
                throw new ModelFormatException(what + " has a zero dimension (shape " + java.util.Arrays.toString(shape)
                        + "); not supported");
            }
            elems = Math.multiplyExact(elems, (long) d); // <= 2^24 * 2^31: cannot overflow
            if (elems > ModelGraph.MAX_TENSOR_ELEMENTS) {
                throw new ModelFormatException(what + " has more than " + ModelGraph.MAX_TENSOR_ELEMENTS
                        + " elements (shape " + java.util.Arrays.toString(shape) + ")");
            }
        }
        return (int) elems;
    }

    private record Quant(float scale, int zeroPoint) {
        static final Quant NONE = new Quant(0, 0);
    }

    /** Per-tensor quantization; {@link Quant#NONE} when not quantized. */
    private static Quant quantization(FlatTable q, String what, int type) throws ModelFormatException {
        if (q == null) {
            return Quant.NONE;
        }
        if (q.getUByte(4) != 0 || q.has(5)) {
            throw new ModelFormatException(what + " has custom quantization details (type " + q.getUByte(4)
                    + "); not supported");
        }
        ModelGraph.understood(q, what + " quantization", QUANT_FIELDS, 0, 1, 2, 3, 6);
        q.floats(0);
        q.floats(1);
        float[] scales = q.floats(2);
        long[] zps = q.longs(3);
        if (scales.length > 1 || zps.length > 1) {
            throw new ModelFormatException(what + " is quantized per channel; not supported");
        }
        if (zps.length > scales.length) {
            throw new ModelFormatException(what + " has a zero point but no scale");
        }
        if (scales.length == 0) {
            return Quant.NONE;
        }
        float scale = scales[0];
        long zp = zps.length > 0 ? zps[0] : 0;
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new ModelFormatException(what + " has quantization scale " + scale);
        }
        long lo = type == TensorInfo.INT8 ? Byte.MIN_VALUE : Integer.MIN_VALUE;
        long hi = type == TensorInfo.INT8 ? Byte.MAX_VALUE : Integer.MAX_VALUE;
        if (zp < lo || zp > hi) {
            throw new ModelFormatException(what + " has zero point " + zp + ", outside " + lo + ".." + hi);
        }
        return new Quant(scale, (int) zp);
    }
}
