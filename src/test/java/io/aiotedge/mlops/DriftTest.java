package io.aiotedge.mlops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftTest {
    static Dataset gaussian(int n, double mean, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][2];
        for (double[] row : x) {
            row[0] = mean + r.nextGaussian();
            row[1] = r.nextGaussian();
        }
        return new Dataset(List.of("a", "b"), x, new int[n]);
    }

    @Test
    void theSameDistribution_isNoDrift() {
        DriftReference ref = DriftReference.of(gaussian(5000, 0, 1));
        DriftReport r = DriftReport.compare(ref, gaussian(5000, 0, 2));
        assertTrue(r.maxPsi() < 0.02, r.toString());
        assertTrue(r.maxKs() < 0.05, r.toString());
        assertFalse(r.drifted(0.25, 0.3));
    }

    @Test
    void aShiftedFeature_isDrift_andNamed() {
        DriftReference ref = DriftReference.of(gaussian(5000, 0, 1));
        DriftReport r = DriftReport.compare(ref, gaussian(5000, 1.0, 2));
        assertTrue(r.maxPsi() > 0.5, r.toString());
        assertTrue(r.ks().get("a") > 0.3, r.toString());
        assertTrue(r.ks().get("b") < 0.05, r.toString());
        assertEquals("a", r.worstFeature());
        assertTrue(r.drifted(0.25, 0.3));
    }

    @Test
    void decileShares_ofTheReferenceItself_areTenthsEvenWithTies() {
        DriftReference ref = DriftReference.of(gaussian(1000, 0, 3));
        for (double s : ref.shares()[0]) {
            assertEquals(0.1, s, 0.002);
        }
        double[][] constant = new double[100][2];
        DriftReference flat = DriftReference.of(new Dataset(List.of("a", "b"), constant, new int[100]));
        assertEquals(1.0, flat.shares()[0][0], 1e-12, "all equal values share the lowest bin");
        assertEquals(0.0, DriftReport.compare(flat, new Dataset(List.of("a", "b"), constant, new int[100])).maxPsi(),
                1e-9);
    }

    @Test
    void differentFeatures_areRefused() {
        DriftReference ref = DriftReference.of(gaussian(10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> DriftReport.compare(ref,
                new Dataset(List.of("x", "y"), new double[][] {{1, 2}}, new int[1])));
    }
}
