package io.aiotedge.mlops;

import java.util.Arrays;
import java.util.List;

/**
 * A training set's per-feature distribution, kept with the model it trained (in its lineage) so
 * later data can be compared with it: decile edges and the share of rows in each of the ten bins
 * they make. Immutable.
 *
 * @param edges per feature, the 9 inner decile edges (ascending)
 * @param shares per feature, the share of training rows in each of the 10 bins
 */
public record DriftReference(List<String> features, double[][] edges, double[][] shares, int rows) {
    public static final int BINS = 10;

    public static DriftReference of(Dataset d) {
        int k = d.features().size();
        double[][] edges = new double[k][BINS - 1];
        double[][] shares = new double[k][];
        for (int j = 0; j < k; j++) {
            double[] col = column(d, j);
            Arrays.sort(col);
            for (int b = 1; b < BINS; b++) {
                edges[j][b - 1] = col.length == 0 ? 0
                        : col[Math.min(col.length - 1, (int) ((long) b * col.length / BINS))];
            }
            shares[j] = histogram(column(d, j), edges[j]);
        }
        return new DriftReference(d.features(), edges, shares, d.size());
    }

    static double[] column(Dataset d, int j) {
        double[] c = new double[d.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = d.x()[i][j];
        }
        return c;
    }

    /** Share of values per bin: bin b holds edges[b-1] < v <= edges[b]. */
    static double[] histogram(double[] values, double[] edges) {
        double[] h = new double[edges.length + 1];
        for (double v : values) {
            int b = Arrays.binarySearch(edges, v);
            int bin = b >= 0 ? b : -b - 1;
            // equal values go to the lowest bin holding that edge
            while (b >= 0 && bin > 0 && edges[bin - 1] == v) {
                bin--;
            }
            h[bin]++;
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = values.length == 0 ? 0 : h[i] / values.length;
        }
        return h;
    }
}
