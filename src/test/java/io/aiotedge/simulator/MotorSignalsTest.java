package io.aiotedge.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.DspConfig;
import io.aiotedge.dsp.FeatureExtractor;
import io.aiotedge.wire.RawFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each fault mode moves the features it should, measured with the real feature extraction. */
class MotorSignalsTest {
    private final DspConfig dsp = new ConfigLoader(k -> null).load(null, List.of()).config().dsp();
    private final MotorSignals signals = new MotorSignals((float) dsp.sampleRate(), dsp.windowSize());
    private final FeatureExtractor fx = new FeatureExtractor(dsp);

    /** Mean of a feature over 40 frames well after onset (severity 1). */
    private double feature(Fault fault, String name) {
        MotorSpec m = new MotorSpec("m", fault, 0, 0, 1.0, 7);
        double sum = 0;
        double[] out = new double[fx.schema().size()];
        for (long seq = 100; seq < 140; seq++) {
            fx.extract(signals.frame(m, seq, 0).samples(), out);
            sum += out[fx.schema().names().indexOf(name)];
        }
        return sum / 40;
    }

    @Test
    void healthyMotor_showsMainsOnCurrent() {
        assertEquals(MotorSignals.SUPPLY_HZ, feature(Fault.HEALTHY, "current_peak_hz"), 5);
        assertEquals(38, feature(Fault.HEALTHY, "temperature_mean"), 1);
    }

    @Test
    void bearingWear_raisesVibrationEnergyInTheResonanceBand_andKurtosis() {
        assertTrue(feature(Fault.BEARING_WEAR, "vibration_band_1500_3000") > 20
                * feature(Fault.HEALTHY, "vibration_band_1500_3000"));
        assertTrue(
                feature(Fault.BEARING_WEAR, "vibration_kurtosis") > feature(Fault.HEALTHY, "vibration_kurtosis") + 1);
    }

    @Test
    void imbalance_raisesTheRunningSpeedLine() {
        assertTrue(
                feature(Fault.IMBALANCE, "vibration_band_0_500") > 10 * feature(Fault.HEALTHY, "vibration_band_0_500"));
        assertTrue(feature(Fault.IMBALANCE, "vibration_rms") > 3 * feature(Fault.HEALTHY, "vibration_rms"));
    }

    @Test
    void overheating_raisesTemperatureAndCurrent() {
        assertTrue(feature(Fault.OVERHEATING, "temperature_mean") > feature(Fault.HEALTHY, "temperature_mean") + 30);
        assertTrue(feature(Fault.OVERHEATING, "current_rms") > 1.3 * feature(Fault.HEALTHY, "current_rms"));
    }

    @Test
    void sameSpecAndSequence_giveTheSameFrame_differentSeedsDiffer() {
        MotorSpec a = new MotorSpec("m", Fault.BEARING_WEAR, 10, 5, 0.8, 42);
        RawFrame f1 = signals.frame(a, 77, 0);
        RawFrame f2 = new MotorSignals((float) dsp.sampleRate(), dsp.windowSize()).frame(a, 77, 0);
        for (int c = 0; c < 4; c++) {
            assertArrayEquals(f1.samples()[c], f2.samples()[c]);
        }
        RawFrame other = signals.frame(new MotorSpec("m", Fault.BEARING_WEAR, 10, 5, 0.8, 43), 77, 0);
        assertTrue(f1.samples()[2][0] != other.samples()[2][0]);
    }

    @Test
    void severityRampsFromOnset_andTheLabelFollowsOnceTheFaultIsNoticeable() {
        MotorSpec m = new MotorSpec("m", Fault.IMBALANCE, 10, 20, 0.5, 1);
        assertEquals(0, m.severityAt(9.9));
        assertEquals("healthy", m.labelAt(9.9));
        assertEquals(0.05, m.severityAt(12), 1e-9);
        assertEquals("healthy", m.labelAt(12), "begun but below what the features resolve");
        assertEquals("imbalance", m.labelAt(14));
        assertEquals(0.25, m.severityAt(20), 1e-9);
        assertEquals("imbalance", m.labelAt(20));
        assertEquals(0.5, m.severityAt(100), 1e-9);
    }
}
