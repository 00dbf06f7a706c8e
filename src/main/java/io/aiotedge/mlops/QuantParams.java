package io.aiotedge.mlops;

/**
 * Affine int8 quantization {@code real = scale * (q - zeroPoint)} of a calibrated range, as
 * TFLite's converter chooses it: the range always holds 0 (so 0 is exact), asymmetric for
 * activations, symmetric (zero point 0, [-127, 127]) for weights.
 */
public record QuantParams(float scale, int zeroPoint) {

    public static QuantParams asymmetric(float min, float max) {
        float lo = Math.min(0f, min);
        float hi = Math.max(0f, max);
        if (hi - lo < 1e-8f) {
            hi = lo + 1e-8f;
        }
        float scale = (hi - lo) / 255f;
        long zp = Math.round(-128.0 - lo / scale);
        return new QuantParams(scale, (int) Math.max(-128, Math.min(127, zp)));
    }

    public static QuantParams symmetric(float maxAbs) {
        return new QuantParams(Math.max(maxAbs, 1e-8f) / 127f, 0);
    }

    /** {@code std::round}-style quantization, clamped to [lo, hi]. */
    public int quantize(double real, int lo, int hi) {
        double v = real / scale;
        long q = (long) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5)) + zeroPoint;
        return (int) Math.max(lo, Math.min(hi, q));
    }

    public float dequantize(int q) {
        return scale * (q - zeroPoint);
    }
}
