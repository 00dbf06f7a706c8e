package io.aiotedge.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Feature extraction ({@code dsp.*}): how raw sample windows become the feature vector.
 * Defaults keep the reference firmware's acquisition: 13095 Hz, Hamming window, four channels.
 *
 * @param windowSize samples per channel per window, a power of two (16-65536)
 * @param sampleRate samples per second per channel
 * @param window the window applied before the FFT
 * @param channels channel names, in frame order
 * @param bands frequency bands whose energy becomes a feature each
 */
public record DspConfig(int windowSize, double sampleRate, Window window, List<String> channels, List<Band> bands) {

    public enum Window { HAMMING, HANN, RECTANGULAR }

    /** A band [lowHz, highHz). */
    public record Band(int lowHz, int highHz) {
    }

    public DspConfig {
        channels = List.copyOf(channels);
        bands = List.copyOf(bands);
    }

    static DspConfig read(ConfigReader r) {
        int size = r.integer("dsp.windowSize", 16, 65_536);
        if (Integer.bitCount(size) != 1) {
            r.problem("dsp.windowSize", "must be a power of two, got " + size);
        }
        int rate = r.integer("dsp.sampleRate", 1, 1_000_000);
        List<String> channels = r.stringList("dsp.channels");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < channels.size(); i++) {
            if (!channels.get(i).matches("[a-z][a-z0-9]{0,31}") || !seen.add(channels.get(i))) {
                r.problem("dsp.channels[" + i + "]", "must be a unique lower-case name of letters and digits, got '"
                        + channels.get(i) + "'");
            }
        }
        if (channels.isEmpty() || channels.size() > 16) {
            r.problem("dsp.channels", "must name 1 to 16 channels");
        }
        List<Band> bands = new ArrayList<>();
        for (ConfigReader b : r.objects("dsp.bands")) {
            int low = b.integer("lowHz", 0, 500_000);
            int high = b.integer("highHz", 1, 500_000);
            if (high <= low) {
                b.problem("highHz", "must be above lowHz (" + low + "), got " + high);
            } else if (high > rate / 2.0 + 1) {
                b.problem("highHz", "must not exceed the Nyquist frequency " + rate / 2.0 + " Hz, got " + high);
            }
            bands.add(new Band(low, high));
        }
        return new DspConfig(size, rate, r.enumValue("dsp.window", Window.class), channels, bands);
    }
}
