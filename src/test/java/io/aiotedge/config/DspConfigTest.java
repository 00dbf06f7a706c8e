package io.aiotedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DspConfigTest {
    private final ConfigLoader loader = new ConfigLoader(k -> null);

    @Test
    void defaults_keepTheReferenceFirmwaresAcquisition() {
        DspConfig d = loader.load(null, List.of()).config().dsp();
        assertEquals(13095.0, d.sampleRate());
        assertEquals(DspConfig.Window.HAMMING, d.window());
        assertEquals(List.of("current", "temperature", "vibration", "sound"), d.channels());
        assertEquals(256, d.windowSize());
    }

    @Test
    void impossibleSettings_areAllReportedWithTheirKeys() {
        String msg = assertThrows(ConfigException.class, () -> loader.load(null, List.of("dsp.windowSize=300",
                "dsp.channels=[current, Current, current]", "dsp.window=blackman",
                "dsp.bands=[{lowHz: 100, highHz: 50}, {lowHz: 0, highHz: 9000}]"))).getMessage();
        for (String expected : List.of("dsp.windowSize: must be a power of two, got 300",
                "dsp.channels[1]: must be a unique lower-case name",
                "dsp.channels[2]: must be a unique lower-case name",
                "dsp.window: must be one of [hamming, hann, rectangular]",
                "dsp.bands[0].highHz: must be above lowHz (100), got 50",
                "dsp.bands[1].highHz: must not exceed the Nyquist frequency 6547.5 Hz, got 9000")) {
            assertTrue(msg.contains(expected), "missing '" + expected + "' in:\n" + msg);
        }
    }
}
