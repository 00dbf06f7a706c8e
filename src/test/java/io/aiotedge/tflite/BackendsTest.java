package io.aiotedge.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both backends on models our exporter writes: the real TFLite runtime and our interpreter agree. */
class BackendsTest {

    static DenseNet logistic(float[] w, float b) {
        return new DenseNet(List.of(new DenseNet.Layer(new float[][] {w}, new float[] {b}, false)));
    }

    static DenseNet mlp(long seed, int... sizes) {
        Random r = new Random(seed);
        List<DenseNet.Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            float[][] w = new float[sizes[i + 1]][sizes[i]];
            float[] b = new float[sizes[i + 1]];
            for (int u = 0; u < w.length; u++) {
                for (int d = 0; d < w[u].length; d++) {
                    w[u][d] = (float) (r.nextGaussian() / Math.sqrt(sizes[i]));
                }
                b[u] = (float) (0.1 * r.nextGaussian());
            }
            layers.add(new DenseNet.Layer(w, b, i + 2 < sizes.length));
        }
        return new DenseNet(layers);
    }

    static List<float[]> inputs(int n, int dim, long seed) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[dim];
            for (int d = 0; d < dim; d++) {
                x[d] = (float) (r.nextGaussian() * 2);
            }
            out.add(x);
        }
        return out;
    }

    @Test
    void theNativeRuntimeLoadsHere() {
        assertNull(Backend.nativeProblem());
    }

    @Test
    void aHandBuiltModelWithKnownWeights_givesKnownOutputs_onBothBackends() throws Exception {
        byte[] model = TfliteExporter.floatModel(logistic(new float[] {1f, -2f}, 0.5f), "known");
        for (Backend b : new Backend[] {Backend.JAVA, Backend.TFLITE}) {
            try (Inference m = b.open(model)) {
                assertEquals(2, m.inputSize());
                assertEquals(1, m.outputSize());
                assertEquals(1.0 / (1.0 + Math.exp(0.5)), m.predict(new float[] {1f, 1f})[0], 1e-6, b.name());
                assertEquals(0.5, m.predict(new float[] {0.5f, 0.5f})[0], 1e-6, b.name());
                assertEquals(1.0 / (1.0 + Math.exp(-3.5)), m.predict(new float[] {3f, 0f})[0], 1e-6, b.name());
            }
        }
    }

    @Test
    void aBatch_scoresTheSameAsRowByRow_onBothBackends_floatAndInt8_andPerSampleCallsStillWorkAfter()
            throws Exception {
        DenseNet net = mlp(13, 4, 50, 40, 1);
        List<float[]> rows = inputs(37, 4, 31);
        float[][] batch = rows.toArray(new float[0][]);
        for (byte[] model : List.of(TfliteExporter.floatModel(net, "batch"),
                TfliteExporter.int8Model(net, inputs(500, 4, 32), "batch").tflite())) {
            for (Backend b : new Backend[] {Backend.JAVA, Backend.TFLITE}) {
                try (Inference m = b.open(model)) {
                    float[][] out = m.predictBatch(batch);
                    assertEquals(rows.size(), out.length);
                    for (int i = 0; i < rows.size(); i++) {
                        assertEquals(m.predict(rows.get(i))[0], out[i][0], 1e-6, b + " row " + i);
                    }
                    assertEquals(out[3][0], m.predictBatch(new float[][] {batch[3], batch[4]})[0][0], 1e-6, b.name());
                    assertEquals(0, m.predictBatch(new float[0][]).length);
                }
            }
        }
    }

    @Test
    void floatMlp_bothBackendsAndTheJavaModel_agreeWithin1e5() throws Exception {
        DenseNet net = mlp(7, 4, 50, 40, 1);
        byte[] model = TfliteExporter.floatModel(net, "mlp");
        try (Inference j = Backend.JAVA.open(model); Inference t = Backend.TFLITE.open(model)) {
            for (float[] x : inputs(500, 4, 8)) {
                float p = net.predict(x)[0];
                assertEquals(p, t.predict(x)[0], 1e-5);
                assertEquals(p, j.predict(x)[0], 1e-5);
            }
        }
    }

    @Test
    void int8Models_javaBackendMatchesTflite_withinOneLsb_andStayNearTheFloatModel() throws Exception {
        for (DenseNet net : List.of(mlp(3, 6, 1), mlp(11, 4, 50, 40, 1), mlp(5, 20, 16, 1))) {
            List<float[]> data = inputs(2000, net.inputs(), 21);
            // calibrated on a representative set from the same distribution as what it then scores
            TfliteExporter.Int8Model q = TfliteExporter.int8Model(net, inputs(1000, net.inputs(), 22), "int8");
            int maxLsb = 0;
            int exact = 0;
            double maxErr = 0;
            double sumErr = 0;
            try (Inference j = Backend.JAVA.open(q.tflite()); Inference t = Backend.TFLITE.open(q.tflite())) {
                for (float[] x : data) {
                    float pt = t.predict(x)[0];
                    float pj = j.predict(x)[0];
                    int lsb = Math.round(Math.abs(pt - pj) * 256f);
                    maxLsb = Math.max(maxLsb, lsb);
                    exact += lsb == 0 ? 1 : 0;
                    double err = Math.abs(pt - net.predict(x)[0]);
                    maxErr = Math.max(maxErr, err);
                    sumErr += err;
                }
            }
            assertTrue(maxLsb <= 1, "java vs tflite differ by " + maxLsb + " LSB");
            assertTrue(exact > data.size() * 0.99, exact + " of " + data.size() + " identical");
            assertTrue(sumErr / data.size() < 0.01, "int8 vs float model: mean error " + sumErr / data.size());
            assertTrue(maxErr < 0.1, "int8 vs float model: max error " + maxErr);
        }
    }

    @Test
    void malformedTruncatedAndForeignFiles_areRefusedWithAReason_byBothBackends() throws Exception {
        byte[] good = TfliteExporter.floatModel(mlp(1, 4, 8, 1), "x");
        for (Backend b : new Backend[] {Backend.JAVA, Backend.TFLITE}) {
            assertTrue(assertThrows(ModelFormatException.class, () -> b.open(new byte[] {1, 2, 3})).getMessage()
                    .contains("too short"));
            byte[] foreign = good.clone();
            foreign[4] = 'X';
            assertTrue(assertThrows(ModelFormatException.class, () -> b.open(foreign)).getMessage()
                    .contains("file identifier"));
            for (int cut : new int[] {16, good.length / 3, good.length / 2, good.length - 8}) {
                byte[] truncated = java.util.Arrays.copyOf(good, cut);
                assertThrows(ModelFormatException.class, () -> b.open(truncated), "cut at " + cut);
            }
        }
        Random r = new Random(99);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = good.clone();
            for (int k = 0; k < 1 + r.nextInt(8); k++) {
                junk[8 + r.nextInt(junk.length - 8)] = (byte) r.nextInt();
            }
            try (Inference m = Backend.JAVA.open(junk)) {
                m.predict(new float[m.inputSize()]);
            } catch (ModelFormatException | IllegalArgumentException expected) {
                // refused with a reason; nothing else may escape
            }
        }
    }
}
