package io.aiotedge.mlops;

import java.util.List;

/**
 * Labelled feature rows for training: {@code x[i]} with {@code y[i]} 1 (fault) or 0 (healthy).
 *
 * @param features names in column order (the model's input schema)
 */
public record Dataset(List<String> features, double[][] x, int[] y) {
    public Dataset {
        features = List.copyOf(features);
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " rows for " + y.length + " labels");
        }
        for (double[] row : x) {
            if (row.length != features.size()) {
                throw new IllegalArgumentException(
                        "a row has " + row.length + " values for " + features.size() + " features");
            }
        }
    }

    /** A row as the float32 input a model takes. */
    public static float[] floats(double[] row) {
        float[] out = new float[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = (float) row[i];
        }
        return out;
    }

    public int size() {
        return y.length;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        return new Dataset(features, java.util.Arrays.copyOfRange(x, from, to),
                java.util.Arrays.copyOfRange(y, from, to));
    }
}
