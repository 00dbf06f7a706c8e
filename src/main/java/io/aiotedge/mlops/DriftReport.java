package io.aiotedge.mlops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * New data against a {@link DriftReference}, per feature: the population stability index over
 * the reference's decile bins, and the Kolmogorov-Smirnov statistic evaluated at those bin edges
 * (the largest gap between the two cumulative shares). Drift is any feature over a threshold.
 */
public record DriftReport(Map<String, Double> psi, Map<String, Double> ks, double maxPsi, double maxKs,
        String worstFeature) {
    private static final double EPS = 1e-4;

    public static DriftReport compare(DriftReference ref, Dataset now) {
        if (!ref.features().equals(now.features())) {
            throw new IllegalArgumentException("features differ from the reference: " + now.features() + " vs "
                    + ref.features());
        }
        Map<String, Double> psi = new LinkedHashMap<>();
        Map<String, Double> ks = new LinkedHashMap<>();
        double maxPsi = 0;
        double maxKs = 0;
        String worst = null;
        List<String> names = ref.features();
        for (int j = 0; j < names.size(); j++) {
            double[] actual = DriftReference.histogram(DriftReference.column(now, j), ref.edges()[j]);
            double[] expected = ref.shares()[j];
            double p = 0;
            double cumA = 0;
            double cumE = 0;
            double k = 0;
            for (int b = 0; b < actual.length; b++) {
                double a = Math.max(actual[b], EPS);
                double e = Math.max(expected[b], EPS);
                p += (a - e) * Math.log(a / e);
                cumA += actual[b];
                cumE += expected[b];
                k = Math.max(k, Math.abs(cumA - cumE));
            }
            psi.put(names.get(j), p);
            ks.put(names.get(j), k);
            if (p > maxPsi) {
                maxPsi = p;
                worst = names.get(j);
            }
            maxKs = Math.max(maxKs, k);
        }
        return new DriftReport(psi, ks, maxPsi, maxKs, worst);
    }

    public boolean drifted(double psiThreshold, double ksThreshold) {
        return maxPsi > psiThreshold || maxKs > ksThreshold;
    }
}
