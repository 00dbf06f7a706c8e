package io.aiotedge.simulator;

import io.aiotedge.wire.RawFrame;
import java.util.SplittableRandom;

/**
 * The physics of a simulated shaded-pole motor, one frame at a time: four channels (current,
 * temperature, vibration, sound) at the configured rate. Frame {@code seq} covers simulated time
 * [seq x N / rate, (seq + 1) x N / rate), so phases run on across frames, and its noise comes
 * from a generator seeded by (motor seed, seq): any frame can be produced alone, and the same
 * spec always gives the same samples.
 *
 * <ul>
 *   <li>current: mains at {@link #SUPPLY_HZ} with 3rd and 5th harmonics; overheating draws more.</li>
 *   <li>temperature: about 38 C with slow wander; overheating adds up to 45 C.</li>
 *   <li>vibration: running speed {@link #SHAFT_HZ}; imbalance raises that line (band 0-500 Hz);
 *   bearing wear adds impacts at the outer-race frequency {@link #BPFO_HZ} ringing the housing
 *   resonance at {@link #RESONANCE_HZ} (band 1500-3000 Hz, kurtosis up).</li>
 *   <li>sound: mains hum at 2 x supply and broadband noise; bearing wear adds hiss.</li>
 * </ul>
 */
public final class MotorSignals {
    public static final double SUPPLY_HZ = 50;
    public static final double SHAFT_HZ = 24.5;
    public static final double BPFO_HZ = 3.58 * SHAFT_HZ;
    public static final double RESONANCE_HZ = 2400;

    private final float rate;
    private final int n;
    private final double regimeChangeSeconds;
    private final String[] channels = {"current", "temperature", "vibration", "sound"};

    public MotorSignals(float rate, int samplesPerChannel) {
        this(rate, samplesPerChannel, 0);
    }

    /**
     * @param regimeChangeSeconds simulated time at which every motor starts running under a
     *     heavier load (more current, warmer, more shaft vibration), the kind of change the
     *     pipeline's drift check is there to notice; 0 = never
     */
    public MotorSignals(float rate, int samplesPerChannel, double regimeChangeSeconds) {
        this.regimeChangeSeconds = regimeChangeSeconds;
        this.rate = rate;
        this.n = samplesPerChannel;
    }

    public String[] channels() {
        return channels.clone();
    }

    /** Simulated time at the start of frame {@code seq}. */
    public double timeOf(long seq) {
        return (double) seq * n / rate;
    }

    public RawFrame frame(MotorSpec m, long seq, long timestampMillis) {
        SplittableRandom rnd = new SplittableRandom(m.seed() * 1_000_003L + seq);
        double t0 = timeOf(seq);
        double s = m.severityAt(t0);
        double bearing = m.fault() == Fault.BEARING_WEAR ? s : 0;
        double imbalance = m.fault() == Fault.IMBALANCE ? s : 0;
        double heat = m.fault() == Fault.OVERHEATING ? s : 0;
        double load = regimeChangeSeconds > 0 && t0 >= regimeChangeSeconds ? 1.3 : 1.0;
        float[][] x = new float[4][n];
        double temperature = 38 + 20 * (load - 1) + 0.5 * Math.sin(2 * Math.PI * t0 / 600) + 45 * heat;
        double impactPeriod = 1 / BPFO_HZ;
        for (int i = 0; i < n; i++) {
            double t = t0 + i / (double) rate;
            double mains = 2 * Math.PI * SUPPLY_HZ * t;
            x[0][i] = (float) ((load + 0.4 * heat) * (Math.sin(mains) + 0.12 * Math.sin(3 * mains)
                    + 0.05 * Math.sin(5 * mains)) + 0.02 * gauss(rnd));
            x[1][i] = (float) (temperature + 0.05 * gauss(rnd));
            double shaft = Math.sin(2 * Math.PI * SHAFT_HZ * t);
            double sinceImpact = t % impactPeriod;
            double ring = Math.exp(-sinceImpact * 900) * Math.sin(2 * Math.PI * RESONANCE_HZ * sinceImpact);
            x[2][i] = (float) ((0.2 * load + 1.5 * imbalance) * shaft + 2.0 * bearing * ring + 0.03 * gauss(rnd));
            x[3][i] = (float) (0.3 * Math.sin(2 * mains) + (0.1 + 0.3 * bearing) * gauss(rnd));
        }
        return new RawFrame(m.deviceId(), seq, timestampMillis, rate, x);
    }

    private static double gauss(SplittableRandom r) {
        // Box-Muller without caching: each call is independent of call order elsewhere
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
