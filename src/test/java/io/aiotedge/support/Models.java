package io.aiotedge.support;

import io.aiotedge.mlops.DenseNet;
import io.aiotedge.mlops.TfliteExporter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Real, servable TFLite models for tests that need a file of a given size. */
public final class Models {
    private Models() {
    }

    /**
     * A float32 logistic model of {@code inputs} features with weights from {@code seed}, padded
     * with seeded bytes after the flatbuffer to exactly {@code size} bytes when it is smaller (the
     * TFLite runtime and our pre-parse read only what the root table reaches), so tests of
     * downloads keep their exact sizes while the registry can still load and run the file.
     */
    public static byte[] servable(int inputs, int size, long seed) {
        Random r = new Random(seed);
        float[][] w = new float[1][inputs];
        for (int i = 0; i < inputs; i++) {
            w[0][i] = (float) r.nextGaussian();
        }
        byte[] model = TfliteExporter.floatModel(new DenseNet(List.of(new DenseNet.Layer(w, new float[] {0f}, false))),
                "test-" + seed);
        if (model.length >= size) {
            return model;
        }
        byte[] padded = Arrays.copyOf(model, size);
        byte[] tail = new byte[size - model.length];
        r.nextBytes(tail);
        System.arraycopy(tail, 0, padded, model.length, tail.length);
        return padded;
    }
}
