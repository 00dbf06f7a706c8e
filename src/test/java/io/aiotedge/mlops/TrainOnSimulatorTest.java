package io.aiotedge.mlops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.DspConfig;
import io.aiotedge.dsp.FeatureExtractor;
import io.aiotedge.simulator.Fault;
import io.aiotedge.simulator.MotorSignals;
import io.aiotedge.simulator.MotorSpec;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Train on what the simulator's motors and the DSP produce, export int8, score the holdout on the
 * real TFLite runtime: the first model must be good, and int8 must not cost it.
 */
class TrainOnSimulatorTest {

    static Dataset simulatedFleet(int motorsPerCondition, int framesPerMotor, long seed) {
        DspConfig dsp = new ConfigLoader(k -> null).load(null, List.of()).config().dsp();
        MotorSignals signals = new MotorSignals((float) dsp.sampleRate(), dsp.windowSize());
        FeatureExtractor fx = new FeatureExtractor(dsp);
        List<double[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        Random r = new Random(seed);
        for (Fault f : Fault.values()) {
            for (int m = 0; m < motorsPerCondition; m++) {
                // faults at varied severity, some barely started
                MotorSpec spec = new MotorSpec(f + "-" + m, f, 0, 0, 0.3 + 0.7 * r.nextDouble(), r.nextLong());
                for (long s = 0; s < framesPerMotor; s++) {
                    double[] out = new double[fx.schema().size()];
                    fx.extract(signals.frame(spec, 50 + s * 7, 0).samples(), out);
                    xs.add(out);
                    ys.add(f == Fault.HEALTHY ? 0 : 1);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, r);
        double[][] x = new double[xs.size()][];
        int[] y = new int[xs.size()];
        for (int i = 0; i < order.size(); i++) {
            x[i] = xs.get(order.get(i));
            y[i] = ys.get(order.get(i));
        }
        return new Dataset(fx.schema().names(), x, y);
    }

    static float[] f(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    @Test
    void logisticRegression_onSimulatedMotors_reaches95PercentHoldoutAccuracy_inFloatAndInt8() throws Exception {
        // healthy motors are 1 of 4 conditions: weight them up so the classes balance
        Dataset all = simulatedFleet(6, 60, 42);
        int split = all.size() * 3 / 4;
        Dataset train = all.slice(0, split);
        Dataset holdout = all.slice(split, all.size());
        LogisticTrainer.Result r = new LogisticTrainer().train(train, null);
        Evaluation fl = Evaluation.of(holdout, x -> (double) r.net().predict(f(x))[0]);
        assertTrue(fl.accuracy() >= 0.95, "float holdout: " + fl);
        assertTrue(fl.rocAuc() >= 0.98, "float holdout: " + fl);

        List<float[]> calibration = new ArrayList<>();
        for (int i = 0; i < Math.min(400, train.size()); i++) {
            calibration.add(f(train.x()[i]));
        }
        TfliteExporter.Int8Model q = TfliteExporter.int8Model(r.net(), calibration, "motor-condition");
        try (Inference tflite = Backend.TFLITE.open(q.tflite()); Inference java = Backend.JAVA.open(q.tflite())) {
            Evaluation i8 = Evaluation.of(holdout, x -> (double) tflite.predict(f(x))[0]);
            assertTrue(i8.accuracy() >= 0.95, "int8 holdout on the TFLite runtime: " + i8);
            int agree = 0;
            for (double[] x : holdout.x()) {
                float[] in = f(x);
                agree += tflite.predict(in)[0] >= 0.5 == r.net().predict(in)[0] >= 0.5 ? 1 : 0;
                assertEquals(tflite.predict(in)[0], java.predict(in)[0], 1f / 256 + 1e-6);
            }
            assertTrue(agree >= holdout.size() * 0.98, "float and int8 agree on " + agree + " of " + holdout.size());
        }
    }

    @Test
    void aucIsTheRankStatistic() {
        Dataset d = new Dataset(List.of("s"), new double[][] {{0.1}, {0.4}, {0.35}, {0.8}}, new int[] {0, 0, 1, 1});
        Evaluation e = Evaluation.of(d, x -> x[0]);
        assertEquals(0.75, e.rocAuc(), 1e-12);
        assertEquals(0.75, e.accuracy(), 1e-12);
        assertEquals(1.0, e.precision(), 1e-12);
        assertEquals(0.5, e.recall(), 1e-12);
    }
}
