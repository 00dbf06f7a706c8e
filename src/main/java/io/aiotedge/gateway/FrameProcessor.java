package io.aiotedge.gateway;

import io.aiotedge.config.DspConfig;
import io.aiotedge.dsp.FeatureExtractor;
import io.aiotedge.wire.FrameException;
import io.aiotedge.wire.RawFrame;
import io.aiotedge.wire.RawFrameCodec;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.aiotedge.wire.Topics;

/**
 * One raw frame in, one telemetry message (or one dead letter with the reason) out. The frame
 * must come from the device its topic names, at the configured sample rate, with at least one
 * window of samples per channel (the first window is used). Not thread-safe (it owns a
 * {@link FeatureExtractor}); the gateway calls it from one thread.
 */
final class FrameProcessor {
    static final int MAX_SAMPLES_PER_CHANNEL = 65_536;

    /** A result: telemetry to publish, or a dead letter. */
    sealed interface Result permits Out, Dead {
    }

    record Out(String topic, byte[] payload, Telemetry telemetry) implements Result {
    }

    record Dead(String topic, String reason) implements Result {
    }

    private final DspConfig dsp;
    private final RawFrameCodec frames;
    private final TelemetryCodec telemetry = new TelemetryCodec();
    private final FeatureExtractor extractor;
    private final double[] features;
    private final float[][] window;

    FrameProcessor(DspConfig dsp) {
        this.dsp = dsp;
        this.frames = new RawFrameCodec(dsp.channels(), MAX_SAMPLES_PER_CHANNEL);
        this.extractor = new FeatureExtractor(dsp);
        this.features = new double[extractor.schema().size()];
        this.window = new float[dsp.channels().size()][];
    }

    static String deadLetterTopic(String deviceId) {
        return Topics.deadLetter(deviceId == null ? "unknown" : deviceId);
    }

    /**
     * @param label the ground-truth label the publisher attached (simulated motors), or null
     * @param nowMillis the time used when the frame carries none
     */
    Result process(String topic, byte[] payload, String label, long nowMillis) {
        String id = Topics.deviceOfRaw(topic);
        if (id == null) {
            return new Dead(deadLetterTopic(null), "not a raw-frame topic: " + topic);
        }
        RawFrame f;
        try {
            f = frames.decode(payload);
        } catch (FrameException e) {
            return new Dead(deadLetterTopic(id), e.getMessage());
        }
        if (!f.deviceId().equals(id)) {
            return new Dead(deadLetterTopic(id), "frame is from '" + f.deviceId() + "' but was published on " + topic);
        }
        if (Math.abs(f.sampleRate() - dsp.sampleRate()) > dsp.sampleRate() * 0.005) {
            return new Dead(deadLetterTopic(id), "sample rate " + f.sampleRate() + " Hz differs from dsp.sampleRate "
                    + dsp.sampleRate() + " Hz");
        }
        if (f.samplesPerChannel() < dsp.windowSize()) {
            return new Dead(deadLetterTopic(id), "frame has " + f.samplesPerChannel()
                    + " samples per channel, the window needs " + dsp.windowSize());
        }
        System.arraycopy(f.samples(), 0, window, 0, window.length);
        extractor.extract(window, features);
        Telemetry t = new Telemetry(id, f.timestampMillis() != 0 ? f.timestampMillis() : nowMillis, f.sequence(),
                extractor.schema().names(), features.clone(), label);
        return new Out(Topics.thingTelemetry(id), telemetry.encode(t), t);
    }
}
