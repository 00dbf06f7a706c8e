package io.aiotedge.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.DspConfig;
import io.aiotedge.simulator.Fault;
import io.aiotedge.simulator.MotorSignals;
import io.aiotedge.simulator.MotorSpec;
import io.aiotedge.wire.RawFrame;
import io.aiotedge.wire.RawFrameCodec;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameProcessorTest {
    private final DspConfig dsp = new ConfigLoader(k -> null).load(null, List.of()).config().dsp();
    private final FrameProcessor processor = new FrameProcessor(dsp);
    private final RawFrameCodec codec = new RawFrameCodec(dsp.channels(), 65_536);
    private final MotorSignals signals = new MotorSignals((float) dsp.sampleRate(), dsp.windowSize());

    private RawFrame frame(String id) {
        return signals.frame(new MotorSpec(id, Fault.HEALTHY, 0, 0, 1, 3), 5, 1_795_689_600_000L);
    }

    private String deadReason(String topic, byte[] payload) {
        return assertInstanceOf(FrameProcessor.Dead.class, processor.process(topic, payload, null, 1)).reason();
    }

    @Test
    void goodFrame_becomesTelemetryWithEveryFeatureAndTheLabel() throws Exception {
        var out = assertInstanceOf(FrameProcessor.Out.class, processor.process("aiot/v1/things/m1/raw",
                codec.encodeBinary(frame("m1")), "healthy", 1));
        assertEquals("aiot/v1/things/m1/telemetry", out.topic());
        Telemetry t = new TelemetryCodec().decode(out.payload());
        assertEquals(40, t.names().size());
        assertEquals("healthy", t.label());
        assertEquals(5, t.sequence());
        assertEquals(1_795_689_600_000L, t.timestampMillis());
        assertEquals(50, t.values()[t.names().indexOf("current_peak_hz")], 5);
    }

    @Test
    void framesThatCannotBeTrusted_areDeadLetteredWithTheReason() {
        assertEquals("frame is from 'm2' but was published on aiot/v1/things/m1/raw",
                deadReason("aiot/v1/things/m1/raw", codec.encodeBinary(frame("m2"))));
        RawFrame f = frame("m1");
        assertEquals("sample rate 8000.0 Hz differs from dsp.sampleRate 13095.0 Hz", deadReason("aiot/v1/things/m1/raw",
                codec.encodeBinary(new RawFrame("m1", 1, 0, 8000f, f.samples()))));
        float[][] shorter = new float[4][100];
        assertEquals("frame has 100 samples per channel, the window needs 256", deadReason("aiot/v1/things/m1/raw",
                codec.encodeBinary(new RawFrame("m1", 1, 0, 13095f, shorter))));
        assertEquals("not a raw-frame topic: aiot/v1/things/raw", deadReason("aiot/v1/things/raw", new byte[1]));
        assertEquals("aiot/v1/deadletter/m1", ((FrameProcessor.Dead) processor.process("aiot/v1/things/m1/raw",
                new byte[] {1, 2}, null, 1)).topic());
    }

    @Test
    void tenThousandRandomFrames_areAllDeadLettered_andTheNextGoodOneStillWorks() {
        Random r = new Random(17);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[r.nextInt(5000)];
            r.nextBytes(junk);
            assertInstanceOf(FrameProcessor.Dead.class, processor.process("aiot/v1/things/m1/raw", junk, null, 1));
        }
        assertInstanceOf(FrameProcessor.Out.class, processor.process("aiot/v1/things/m1/raw",
                codec.encodeBinary(frame("m1")), null, 1));
    }
}
