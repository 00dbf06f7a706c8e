package io.aiotedge.tflite;

import java.util.List;

/**
 * The java backend's load-time half of each operator, as TFLite's {@code Prepare}: checks that
 * {@link Kernels} can run it on its tensors' types and sizes, refusing the model with a
 * {@link ModelFormatException} that names the operator otherwise, and derives the integer
 * constants its int8 kernel needs (requantisation multiplier and shift, activation range), so
 * that running computes none. Used once per operator while {@link JavaInterpreter} loads.
 */
final class OpChecks {
    private final List<TensorInfo> tensors;

    OpChecks(List<TensorInfo> tensors) {
        this.tensors = tensors;
    }

    /**
     * Checks operator {@code index}; returns its constants ({multiplier, shift} for int8 RELU,
     * {multiplier, shift, lowest, highest} for int8 FULLY_CONNECTED) or null where none are needed.
     */
    int[] prepare(Op op, int index) throws ModelFormatException {
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
                return prepareActivation(op, in, out, where);
            case SOFTMAX :
            case ADD :
            case MUL :
                prepareFloatOnly(op, in, out, where);
                return null;
            case RESHAPE :
                require(ti == to, where, "the same type in and out");
                sameSize(in, out, where);
                return null;
            default :
                throw new ModelFormatException("unsupported operator " + op.code());
        }
    }

    private int[] prepareActivation(Op op, int in, int out, String where) throws ModelFormatException {
        int ti = type(in);
        require(ti == type(out) && (ti == TensorInfo.FLOAT32 || ti == TensorInfo.INT8), where, "float32 or int8");
        sameSize(in, out, where);
        if (ti == TensorInfo.INT8) {
            requireScale(in, where);
            requireScale(out, where);
            if (op.code() == Op.Code.RELU) {
                return QuantMath.quantizeMultiplier((double) info(in).scale() / info(out).scale());
            }
        }
        return null;
    }

    private void prepareFloatOnly(Op op, int in, int out, String where) throws ModelFormatException {
        require(type(in) == TensorInfo.FLOAT32 && type(out) == TensorInfo.FLOAT32, where,
                "float32 (the java backend has no int8 " + op.code() + ")");
        if (op.code() != Op.Code.SOFTMAX) {
            require(op.inputs().length == 2 && info(op.inputs()[1]).elements() == info(in).elements()
                    && type(op.inputs()[1]) == TensorInfo.FLOAT32, where, "two float32 inputs of the same size");
        }
        sameSize(in, out, where);
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

    private int type(int t) {
        return tensors.get(t).type();
    }

    private TensorInfo info(int t) {
        return tensors.get(t);
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
}
