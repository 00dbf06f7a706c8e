package io.aiotedge.simulator;

import io.aiotedge.wire.RawFrame;
import java.util.Locale;

/**
 * The reference ESP32 firmware's reading (docs/architecture.md, "Compatibility with the reference
 * implementation"): one JSON object per frame on {@code shaded-pole-motor-sensor_data} with the
 * channels' RMS (temperature: its mean) and a numeric chip id as {@code deviceID}.
 */
final class ReferencePayload {

    private ReferencePayload() {
    }

    /** A chip-id-like decimal id for motor index i (the firmware prints its MAC-derived chip id). */
    static String chipId(int motor) {
        return Long.toString(14_333_616L + motor);
    }

    static String json(String chipId, RawFrame f) {
        return String.format(Locale.ROOT, "{\"deviceID\": \"%s\", \"current\": %.2f, \"temperature\": %.2f, "
                + "\"vibration\": %.2f, \"sound\": %.2f, \"fft_data\": \"true\"}", chipId, rms(f.samples()[0]),
                mean(f.samples()[1]), rms(f.samples()[2]), rms(f.samples()[3]));
    }

    private static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / x.length);
    }

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }
}
