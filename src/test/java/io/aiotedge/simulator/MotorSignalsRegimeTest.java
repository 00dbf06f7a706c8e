package io.aiotedge.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.DspConfig;
import io.aiotedge.dsp.FeatureExtractor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MotorSignalsRegimeTest {
    private final DspConfig dsp = new ConfigLoader(k -> null).load(null, List.of()).config().dsp();
    private final FeatureExtractor fx = new FeatureExtractor(dsp);

    private double mean(MotorSignals signals, long from, String feature) {
        MotorSpec m = new MotorSpec("m", Fault.HEALTHY, 0, 0, 1.0, 7);
        double[] out = new double[fx.schema().size()];
        double sum = 0;
        for (long seq = from; seq < from + 40; seq++) {
            fx.extract(signals.frame(m, seq, 0).samples(), out);
            sum += out[fx.schema().names().indexOf(feature)];
        }
        return sum / 40;
    }

    @Test
    void afterTheRegimeChange_healthyMotorsDrawMoreCurrentAndRunWarmer_andNotBefore() {
        MotorSignals changing = new MotorSignals((float) dsp.sampleRate(), dsp.windowSize(), 2);
        MotorSignals steady = new MotorSignals((float) dsp.sampleRate(), dsp.windowSize());
        long before = 10;
        long after = (long) (3 / steady.timeOf(1));
        assertEquals(mean(steady, before, "current_rms"), mean(changing, before, "current_rms"), 1e-12);
        assertTrue(mean(changing, after, "current_rms") > 1.2 * mean(steady, after, "current_rms"));
        assertTrue(mean(changing, after, "temperature_mean") > mean(steady, after, "temperature_mean") + 5);
    }
}
