package io.aiotedge.tflite;

/**
 * The arithmetic of the java backend's operators, on plain arrays: quantize and dequantize, fully
 * connected (float32, and int8 with an int32 accumulator rescaled by {@link QuantMath}), the
 * activations LOGISTIC, RELU and SOFTMAX, and element-wise ADD and MUL. Each kernel writes its
 * output array in place and allocates nothing; which one runs, and with which tensors, is
 * {@link JavaInterpreter}'s business, and that the types and sizes fit was checked at load
 * ({@link OpChecks}). Stateless.
 */
final class Kernels {
    private Kernels() {
    }

    static void quantize(float[] x, byte[] y, float scale, int zeroPoint) {
        for (int k = 0; k < x.length; k++) {
            int q = (int) QuantMath.round(x[k] / scale) + zeroPoint;
            y[k] = (byte) QuantMath.clamp(q, -128, 127);
        }
    }

    static void dequantize(byte[] x, float[] y, float scale, int zeroPoint) {
        for (int k = 0; k < x.length; k++) {
            y[k] = (float) ((double) scale * (x[k] - zeroPoint));
        }
    }

    /** {@code b} may be null (no bias); {@code w} is {@code units x depth}. */
    static void fullyConnected(float[] x, float[] w, float[] b, float[] y, int units, int depth, int activation) {
        int batches = x.length / depth;
        for (int n = 0; n < batches; n++) {
            for (int u = 0; u < units; u++) {
                float acc = 0f;
                for (int d = 0; d < depth; d++) {
                    acc += x[n * depth + d] * w[u * depth + d];
                }
                if (b != null) {
                    acc += b[u];
                }
                y[n * units + u] = QuantMath.activate(acc, activation);
            }
        }
    }

    /**
     * As {@link #fullyConnected(float[], float[], float[], float[], int, int, int)}, in int8:
     * {@code rq} is {multiplier, shift, lowest, highest} from {@link OpChecks}.
     */
    static void fullyConnected(byte[] x, int inZeroPoint, byte[] w, int[] b, byte[] y, int outZeroPoint, int units,
            int depth, int[] rq) {
        int inOffset = -inZeroPoint;
        int batches = x.length / depth;
        for (int n = 0; n < batches; n++) {
            for (int u = 0; u < units; u++) {
                int acc = 0;
                for (int d = 0; d < depth; d++) {
                    acc += w[u * depth + d] * (x[n * depth + d] + inOffset);
                }
                if (b != null) {
                    acc += b[u];
                }
                int v = QuantMath.multiplyByQuantizedMultiplier(acc, rq[0], rq[1]) + outZeroPoint;
                y[n * units + u] = (byte) QuantMath.clamp(v, rq[2], rq[3]);
            }
        }
    }

    static void logistic(float[] x, float[] y) {
        for (int k = 0; k < x.length; k++) {
            y[k] = (float) (1.0 / (1.0 + Math.exp(-x[k])));
        }
    }

    /** As TFLite's int8 LOGISTIC lookup table: dequantize, sigmoid, round, requantize. */
    static void logistic(byte[] x, float inScale, int inZeroPoint, byte[] y, float outScale, int outZeroPoint) {
        float inverse = 1f / outScale;
        for (int k = 0; k < x.length; k++) {
            float v = inScale * (x[k] - inZeroPoint);
            float s = (float) (1.0 / (1.0 + Math.exp(-v)));
            int q = (int) (QuantMath.round(s * inverse) + outZeroPoint);
            y[k] = (byte) QuantMath.clamp(q, -128, 127);
        }
    }

    static void relu(float[] x, float[] y) {
        for (int k = 0; k < x.length; k++) {
            y[k] = Math.max(0f, x[k]);
        }
    }

    /** {@code rq} is {multiplier, shift} of the input scale over the output scale. */
    static void relu(byte[] x, int inZeroPoint, byte[] y, int outZeroPoint, int[] rq) {
        int lo = Math.max(-128, outZeroPoint);
        for (int k = 0; k < x.length; k++) {
            int v = outZeroPoint + QuantMath.multiplyByQuantizedMultiplier(x[k] - inZeroPoint, rq[0], rq[1]);
            y[k] = (byte) QuantMath.clamp(v, lo, 127);
        }
    }

    static void softmax(float[] x, float[] y, float beta) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < x.length; k++) {
            y[k] = (float) Math.exp((x[k] - max) * beta);
            sum += y[k];
        }
        for (int k = 0; k < x.length; k++) {
            y[k] = (float) (y[k] / sum);
        }
    }

    static void add(float[] a, float[] b, float[] y, int activation) {
        for (int k = 0; k < y.length; k++) {
            y[k] = QuantMath.activate(a[k] + b[k], activation);
        }
    }

    static void mul(float[] a, float[] b, float[] y, int activation) {
        for (int k = 0; k < y.length; k++) {
            y[k] = QuantMath.activate(a[k] * b[k], activation);
        }
    }
}
