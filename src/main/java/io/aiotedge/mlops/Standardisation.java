package io.aiotedge.mlops;

/**
 * Per-feature mean and standard deviation of a training set, and the standardised rows
 * {@code (x - mean) / std} the trainers learn on. A feature whose spread is below
 * {@link #CONSTANT} of its magnitude is constant up to summation rounding (a motor's
 * supply-frequency peak): models take float32 inputs, where such a spread does not exist, and
 * dividing by it would blow a float32 rounding of the mean up into a large value that only
 * training sees. Its deviation is set to 1, which leaves it harmless.
 */
public record Standardisation(double[] mean, double[] std) {
    /** A spread below this share of a feature's magnitude is rounding (float32 resolves ~1.2e-7). */
    static final double CONSTANT = 1e-6;

    public static Standardisation of(Dataset d) {
        int n = d.size();
        int k = d.features().size();
        if (n == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        double[] mean = new double[k];
        double[] std = new double[k];
        for (double[] row : d.x()) {
            for (int j = 0; j < k; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : d.x()) {
            for (int j = 0; j < k; j++) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < k; j++) {
            std[j] = Math.sqrt(std[j]);
            if (!(std[j] > CONSTANT * Math.max(Math.abs(mean[j]), 1e-6))) {
                std[j] = 1;
            }
        }
        return new Standardisation(mean, std);
    }

    /** Every row standardised. */
    public double[][] apply(Dataset d) {
        double[][] z = new double[d.size()][mean.length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                z[i][j] = (d.x()[i][j] - mean[j]) / std[j];
            }
        }
        return z;
    }

    public float[] meanFloats() {
        return floats(mean);
    }

    public float[] stdFloats() {
        return floats(std);
    }

    private static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
