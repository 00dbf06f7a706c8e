package io.aiotedge.bench;

import io.aiotedge.mlops.Dataset;
import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.LogisticTrainer;
import io.aiotedge.mlops.TfliteExporter;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code aiot-edge bench inference}: predictions/s of the java backend vs TensorFlow Lite's
 * native runtime on the same models in the same run (the logistic motor model over 27 features,
 * and a 4-50-40-1 MLP, float and int8), and the time to train, quantize and export a model on
 * 100k rows. Prints a Markdown table.
 */
public final class InferenceBench {
    /** Rows per call in the batched columns. */
    static final int BATCH = 64;

    private final int seconds;
    private final int rows;
    private final Consumer<String> out;

    public InferenceBench(int seconds, int rows, Consumer<String> out) {
        this.seconds = seconds;
        this.rows = rows;
        this.out = out;
    }

    public void run() throws Exception {
        Dataset d = synthetic(rows, 27, 1);
        long t0 = System.nanoTime();
        LogisticTrainer.Result r = new LogisticTrainer().train(d, (e, loss) -> out.accept(
                String.format(Locale.ROOT, "  train epoch %d loss %.4f", e, loss)));
        long t1 = System.nanoTime();
        List<float[]> calibration = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calibration.add(Dataset.floats(d.x()[i]));
        }
        TfliteExporter.Int8Model q = TfliteExporter.int8Model(r.net(), calibration, "bench");
        long t2 = System.nanoTime();
        out.accept(
                "| model | java predictions/s | tflite predictions/s | java/tflite | java batched/s | tflite batched/s "
                        + "| java/tflite batched |");
        out.accept("|---|---|---|---|---|---|---|");
        row("motor logistic, 27 features, int8", q.tflite(), 27);
        row("motor logistic, 27 features, float", TfliteExporter.floatModel(r.net(), "bench"), 27);
        DenseNet mlp = mlp();
        List<float[]> mlpCal = new ArrayList<>();
        Random rnd = new Random(3);
        for (int i = 0; i < 500; i++) {
            mlpCal.add(new float[] {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian(),
                    (float) rnd.nextGaussian()});
        }
        row("MLP 4-50-40-1, int8", TfliteExporter.int8Model(mlp, mlpCal, "bench").tflite(), 4);
        row("MLP 4-50-40-1, float", TfliteExporter.floatModel(mlp, "bench"), 4);
        out.accept(String.format(Locale.ROOT,
                "%ntrain (%d rows x 27 features, %d epochs) %.2f s; int8 quantize + export %.3f s",
                rows, r.epochs(), (t1 - t0) / 1e9, (t2 - t1) / 1e9));
    }

    private void row(String name, byte[] model, int inputs) throws Exception {
        double j = rate(Backend.JAVA, model, inputs, 1);
        double t = rate(Backend.TFLITE, model, inputs, 1);
        double jb = rate(Backend.JAVA, model, inputs, BATCH);
        double tb = rate(Backend.TFLITE, model, inputs, BATCH);
        out.accept(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2fx | %.0f | %.0f | %.2fx |", name, j, t, j / t,
                jb, tb, jb / tb));
    }

    /**
     * Predictions/s, best of three rounds of {@code seconds}/3 each after a warm-up: one call per
     * prediction ({@code batch} 1) or {@link Inference#predictBatch} of {@code batch} rows.
     */
    /**
     * {@code --shadow}: windows/s of the inference role's scoring path with the champion alone and
     * with a rollout candidate in shadow beside it, same run, same thread, rounds taking turns, per
     * backend and model.
     */
    public void shadow(io.aiotedge.config.InferenceConfig config, int devices) throws Exception {
        List<String> f27 = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
            f27.add("f" + i);
        }
        DenseNet champion = dense(new int[] {27, 1}, 21);
        DenseNet candidate = dense(new int[] {27, 1}, 22);
        DenseNet mlpChampion = dense(new int[] {27, 50, 40, 1}, 23);
        DenseNet mlpCandidate = dense(new int[] {27, 50, 40, 1}, 24);
        out.accept("| model | backend | champion only windows/s | with a shadow candidate windows/s | ratio |");
        out.accept("|---|---|---|---|---|");
        for (Backend b : new Backend[] {Backend.TFLITE, Backend.JAVA}) {
            io.aiotedge.inference.ScoringThroughput t = new io.aiotedge.inference.ScoringThroughput(config, b, f27,
                    devices);
            shadowRow(t, "logistic, 27 features, float", b, TfliteExporter.floatModel(champion, "c"),
                    TfliteExporter.floatModel(candidate, "k"));
            shadowRow(t, "MLP 27-50-40-1, float", b, TfliteExporter.floatModel(mlpChampion, "c"),
                    TfliteExporter.floatModel(mlpCandidate, "k"));
        }
    }

    private void shadowRow(io.aiotedge.inference.ScoringThroughput t, String name, Backend b, byte[] champion,
            byte[] candidate) throws Exception {
        io.aiotedge.inference.ScoringThroughput.Rates r = t.measure(champion, candidate, seconds);
        out.accept(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.2fx |", name,
                b.name().toLowerCase(Locale.ROOT), r.alone(), r.beside(), r.ratio()));
    }

    private static DenseNet dense(int[] sizes, long seed) {
        Random r = new Random(seed);
        List<DenseNet.Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            float[][] w = new float[sizes[i + 1]][sizes[i]];
            for (float[] row : w) {
                for (int d = 0; d < row.length; d++) {
                    row[d] = (float) (r.nextGaussian() / Math.sqrt(sizes[i]));
                }
            }
            layers.add(new DenseNet.Layer(w, new float[sizes[i + 1]], i + 2 < sizes.length));
        }
        return new DenseNet(layers);
    }

    private double rate(Backend b, byte[] model, int inputs, int batch) throws Exception {
        float[][] xs = new float[1024][inputs];
        Random r = new Random(9);
        for (float[] x : xs) {
            for (int i = 0; i < inputs; i++) {
                x[i] = (float) r.nextGaussian();
            }
        }
        double best = 0;
        float sink = 0;
        float[][][] batches = new float[1024 / batch][][];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = java.util.Arrays.copyOfRange(xs, i * batch, (i + 1) * batch);
        }
        try (Inference m = b.open(model)) {
            for (int i = 0; i < 20_000 / batch; i++) {
                sink += batch == 1 ? m.predict(xs[i & 1023])[0] : m.predictBatch(batches[i % batches.length])[0][0];
            }
            for (int round = 0; round < 3; round++) {
                long end = System.nanoTime() + seconds * 1_000_000_000L / 3;
                long n = 0;
                long t0 = System.nanoTime();
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 1000; i++) {
                        if (batch == 1) {
                            sink += m.predict(xs[(int) (n++ & 1023)])[0];
                        } else {
                            sink += m.predictBatch(batches[(int) (n++ % batches.length)])[0][0];
                        }
                    }
                }
                best = Math.max(best, n * batch / ((System.nanoTime() - t0) / 1e9));
            }
        }
        if (sink == 42.4242f) {
            out.accept("");
        }
        return best;
    }

    private static DenseNet mlp() {
        Random r = new Random(5);
        int[] sizes = {4, 50, 40, 1};
        List<DenseNet.Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            float[][] w = new float[sizes[i + 1]][sizes[i]];
            for (float[] row : w) {
                for (int d = 0; d < row.length; d++) {
                    row[d] = (float) (r.nextGaussian() / Math.sqrt(sizes[i]));
                }
            }
            layers.add(new DenseNet.Layer(w, new float[sizes[i + 1]], i + 2 < sizes.length));
        }
        return new DenseNet(layers);
    }

    private static Dataset synthetic(int n, int k, long seed) {
        Random r = new Random(seed);
        double[] truth = new double[k];
        for (int j = 0; j < k; j++) {
            truth[j] = r.nextGaussian();
        }
        double[][] x = new double[n][k];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                x[i][j] = r.nextGaussian() * (1 + j * 10) + j;
                s += truth[j] * (x[i][j] - j) / (1 + j * 10);
            }
            y[i] = s + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            names.add("f" + j);
        }
        return new Dataset(names, x, y);
    }

}
