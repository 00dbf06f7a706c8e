package io.aiotedge.mlops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MlpTrainerTest {

    /** Faulty = outside a ring: no straight line separates it, two hidden layers do. */
    static Dataset ring(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = 10 + 3 * r.nextGaussian();
            double b = 200 + 40 * r.nextGaussian();
            double radius = Math.hypot((a - 10) / 3, (b - 200) / 40);
            x[i] = new double[] {a, b, 7.0};
            y[i] = radius > 1.2 ? 1 : 0;
        }
        return new Dataset(List.of("a", "b", "constant"), x, y);
    }

    @Test
    void theMlp_learnsANonLinearBoundary_theLogisticModelCannot_andSurvivesInt8OnTflite() throws Exception {
        Dataset train = ring(3000, 1);
        Dataset holdout = ring(1000, 2);
        MlpTrainer.Result mlp = new MlpTrainer(List.of(16, 8)).train(train, null);
        LogisticTrainer.Result lr = new LogisticTrainer().train(train, null);
        Evaluation m = Evaluation.of(holdout, x -> (double) mlp.net().predict(Dataset.floats(x))[0]);
        Evaluation l = Evaluation.of(holdout, x -> (double) lr.net().predict(Dataset.floats(x))[0]);
        assertTrue(m.accuracy() >= 0.95, "mlp " + m);
        assertTrue(l.accuracy() < 0.8, "logistic " + l);
        assertEquals(List.of(3, 16, 8), mlp.net().layers().stream().map(DenseNet.Layer::inputs).toList());

        List<float[]> cal = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            cal.add(Dataset.floats(train.x()[i]));
        }
        TfliteExporter.Int8Model q = TfliteExporter.int8Model(mlp.net(), cal, "ring");
        try (Inference t = Backend.TFLITE.open(q.tflite())) {
            Evaluation i8 = Evaluation.of(holdout, x -> (double) t.predict(Dataset.floats(x))[0]);
            assertTrue(i8.accuracy() >= m.accuracy() - 0.02, "int8 " + i8 + " vs float " + m);
        }
    }

    @Test
    void training_isDeterministic_andReportsProgress() {
        Dataset d = ring(500, 3);
        List<Integer> epochs = new ArrayList<>();
        MlpTrainer.Result a = new MlpTrainer(List.of(8)).train(d, (e, loss) -> epochs.add(e));
        MlpTrainer.Result b = new MlpTrainer(List.of(8)).train(d, null);
        assertEquals(a.finalLoss(), b.finalLoss());
        assertEquals(a.epochs(), epochs.get(epochs.size() - 1));
        assertTrue(epochs.size() >= 5, epochs.toString());
    }
}
