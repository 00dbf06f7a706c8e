package io.aiotedge.tflite;

/**
 * TFLite's integer arithmetic: the fixed-point multiplier a real scale ratio becomes
 * ({@code QuantizeMultiplier}), the rescaling of an int32 accumulator by it (as the x86 runtime
 * does it, and gemmlowp's two-step reference form), and C's {@code std::round} (half away from
 * zero).
 * Stateless.
 */
final class QuantMath {
    private QuantMath() {
    }

    /** {@code m = multiplier * 2^(shift - 31)}; returns {multiplier, shift}. */
    static int[] quantizeMultiplier(double m) {
        if (m == 0) {
            return new int[] {0, 0};
        }
        int shift = Math.getExponent(m) + 1; // frexp: m = q * 2^shift with q in [0.5, 1)
        double q = m / Math.scalb(1.0, shift);
        long qFixed = Math.round(q * (1L << 31));
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31) {
            return new int[] {0, 0};
        }
        return new int[] {(int) qFixed, shift};
    }

    static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * b;
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31)); // C division: toward zero
    }

    static int roundingDivideByPot(int x, int exponent) {
        int mask = (1 << exponent) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /**
     * {@code x * multiplier * 2^(shift - 31)}, rounded once, half up, from the exact 64-bit
     * product: what TFLite 2.6's x86 kernels (ruy) compute, measured bit for bit against the
     * runtime (a test). TFLite's reference kernels round twice ({@link #multiplyDoubleRounding}),
     * which differs by 1 in the rare cases where the first rounding crosses a half.
     */
    static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int total = 31 - shift;
        long product = (long) x * multiplier;
        long rounded = total > 0 ? (product + (1L << (total - 1))) >> total : product << -total;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, rounded));
    }

    /** gemmlowp's two-step form used by TFLite's reference kernels. */
    static int multiplyDoubleRounding(int x, int multiplier, int shift) {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        return roundingDivideByPot(saturatingRoundingDoublingHighMul(x * (1 << left), multiplier), right);
    }

    /** {@code std::round}: halves away from zero. */
    static double round(double x) {
        return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
    }

    static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }

    /** The int8 range a fused activation leaves, as TFLite computes it. */
    static int[] activationRange(int activation, float scale, int zeroPoint) {
        int lo = -128;
        int hi = 127;
        switch (activation) {
            case 1 : // RELU
                lo = Math.max(lo, zeroPoint);
                break;
            case 2 : // RELU_N1_TO_1
                lo = Math.max(lo, zeroPoint + (int) round(-1.0 / scale));
                hi = Math.min(hi, zeroPoint + (int) round(1.0 / scale));
                break;
            case 3 : // RELU6
                lo = Math.max(lo, zeroPoint);
                hi = Math.min(hi, zeroPoint + (int) round(6.0 / scale));
                break;
            default :
                break;
        }
        return new int[] {lo, hi};
    }

    static float activate(float v, int activation) {
        switch (activation) {
            case 1 :
                return Math.max(0f, v);
            case 2 :
                return Math.max(-1f, Math.min(1f, v));
            case 3 :
                return Math.max(0f, Math.min(6f, v));
            default :
                return v;
        }
    }
}
