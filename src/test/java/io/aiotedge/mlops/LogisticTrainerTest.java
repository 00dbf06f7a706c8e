package io.aiotedge.mlops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticTrainerTest {

    /**
     * A feature that never changes (a motor's supply-frequency peak) has a mean whose summation
     * rounds a hair off the value, so its spread is ~1e-12, not 0. Standardising by that spread
     * turned the feature into a second bias in training that vanishes in float32 at inference, and
     * a retrained motor model called every motor healthy.
     */
    @Test
    void aFeatureConstantUpToRounding_isNotStandardisedIntoABias() {
        Random r = new Random(7);
        int n = 997;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4 == 0 ? 0 : 1;
            x[i] = new double[] {(y[i] == 1 ? 2.0 : 0.0) + 0.3 * r.nextGaussian(), 12345.678};
        }
        Dataset d = new Dataset(List.of("signal", "constant"), x, y);
        LogisticTrainer.Result t = new LogisticTrainer().train(d, null);
        assertEquals(1.0, t.std()[1], "the constant feature is left unscaled");
        Evaluation e = Evaluation.of(d, row -> (double) t.net().predict(Dataset.floats(row))[0]);
        assertEquals(1.0, e.accuracy(), 0.02, e.toString());
    }
}
