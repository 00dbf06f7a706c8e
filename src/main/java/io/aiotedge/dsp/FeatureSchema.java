package io.aiotedge.dsp;

import io.aiotedge.config.DspConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The names and order of the feature vector, fixed by the DSP config: for each channel in
 * order, {@code <channel>_<feature>} for each of {@link #PER_CHANNEL}, then one
 * {@code <channel>_band_<low>_<high>} per band. Documented in docs/features.md; the unit of the
 * datastore's columns and the models' input schema.
 */
public final class FeatureSchema {
    /** Per-channel features before the bands, in order. */
    public static final List<String> PER_CHANNEL = List.of("mean", "rms", "crest", "kurtosis", "peak_hz", "peak_mag");

    private final List<String> names;
    private final int perChannel;

    public FeatureSchema(DspConfig config) {
        List<String> out = new ArrayList<>();
        for (String ch : config.channels()) {
            PER_CHANNEL.forEach(f -> out.add(ch + "_" + f));
            config.bands().forEach(b -> out.add(ch + "_band_" + b.lowHz() + "_" + b.highHz()));
        }
        this.names = List.copyOf(out);
        this.perChannel = PER_CHANNEL.size() + config.bands().size();
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    /** Features per channel (the stride in the vector). */
    public int perChannel() {
        return perChannel;
    }
}
