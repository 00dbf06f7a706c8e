package io.aiotedge.wire;

/**
 * One acquisition from a sensor device: {@code samples[channel][i]}, channels in the node's
 * {@code dsp.channels} order, all of equal length. The wire formats are in docs/frames.md.
 *
 * @param deviceId the device that sampled it
 * @param sequence the device's frame counter (gaps mean lost frames)
 * @param timestampMillis when the device took it (epoch ms), 0 when the device has no clock
 * @param sampleRate samples per second per channel
 * @param samples the samples, channel-major
 */
public record RawFrame(String deviceId, long sequence, long timestampMillis, float sampleRate, float[][] samples) {

    public int channels() {
        return samples.length;
    }

    public int samplesPerChannel() {
        return samples.length == 0 ? 0 : samples[0].length;
    }
}
