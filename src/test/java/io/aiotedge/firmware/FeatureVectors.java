package io.aiotedge.firmware;

import io.aiotedge.config.DspConfig;
import io.aiotedge.dsp.FeatureExtractor;
import io.aiotedge.simulator.Fault;
import io.aiotedge.simulator.MotorSignals;
import io.aiotedge.simulator.MotorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes firmware/testvectors/features.txt: single-channel windows (simulated motor channels
 * in every fault mode, a sine, noise) with the features the Java DSP computes for them, for the
 * C core's host test. Deterministic. After changing the DSP, regenerate it from the project root:
 * {@code mvn -q test-compile && java -cp "target/test-classes:target/classes:$(mvn -q
 * dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" io.aiotedge.firmware.FeatureVectors}
 * (FirmwareDspIT fails while the committed file is stale).
 */
public final class FeatureVectors {
    public static final Path FILE = Path.of("firmware/testvectors/features.txt");
    private static final List<DspConfig.Band> BANDS = List.of(new DspConfig.Band(0, 500), new DspConfig.Band(500, 1500),
            new DspConfig.Band(1500, 3000), new DspConfig.Band(3000, 6548));
    private static final List<String> CHANNELS = List.of("current", "temperature", "vibration", "sound");

    private FeatureVectors() {
    }

    public static String generate() {
        StringBuilder out = new StringBuilder("# Written by FeatureVectors (Java DSP); read by firmware/dsp/test. "
                + "case <name> <n> <rate> <window 0=hamming 1=hann 2=rect> <bands> <low high>...\n");
        record Shape(DspConfig.Window window, int n) {
        }
        for (Shape s : List.of(new Shape(DspConfig.Window.HAMMING, 256), new Shape(DspConfig.Window.HANN, 256),
                new Shape(DspConfig.Window.HAMMING, 1024))) {
            DspConfig one = new DspConfig(s.n(), 13095, s.window(), List.of("x"), BANDS);
            FeatureExtractor fx = new FeatureExtractor(one);
            MotorSignals signals = new MotorSignals(13095f, s.n());
            for (Fault fault : Fault.values()) {
                float[][] frame = signals.frame(new MotorSpec("m", fault, 0, 0, 1, 11), 40, 0).samples();
                for (int c = 0; c < frame.length; c++) {
                    write(out, fault.label() + "-" + CHANNELS.get(c), one, fx, frame[c]);
                }
            }
            float[] sine = new float[s.n()];
            float[] noise = new float[s.n()];
            Random r = new Random(s.n());
            for (int i = 0; i < s.n(); i++) {
                sine[i] = (float) (0.7 + 2 * Math.sin(2 * Math.PI * 1234.5 * i / 13095));
                noise[i] = (float) r.nextGaussian();
            }
            write(out, "sine", one, fx, sine);
            write(out, "noise", one, fx, noise);
        }
        return out.toString();
    }

    private static void write(StringBuilder out, String name, DspConfig c, FeatureExtractor fx, float[] x) {
        out.append("case ").append(c.window().name().toLowerCase(java.util.Locale.ROOT)).append('-')
                .append(c.windowSize())
                .append('-').append(name).append(' ').append(c.windowSize()).append(' ').append((int) c.sampleRate())
                .append(' ').append(c.window().ordinal()).append(' ').append(c.bands().size());
        c.bands().forEach(b -> out.append(' ').append(b.lowHz()).append(' ').append(b.highHz()));
        out.append("\nsamples");
        for (float v : x) {
            out.append(' ').append(v);
        }
        double[] features = new double[fx.schema().size()];
        fx.extract(new float[][] {x}, features);
        out.append("\nexpect");
        for (double v : features) {
            out.append(' ').append(v);
        }
        out.append('\n');
    }

    public static void main(String[] args) throws Exception {
        Files.writeString(FILE, generate());
    }
}
