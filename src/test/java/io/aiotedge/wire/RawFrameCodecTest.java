package io.aiotedge.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawFrameCodecTest {
    private static final List<String> CHANNELS = List.of("current", "temperature", "vibration", "sound");
    private final RawFrameCodec codec = new RawFrameCodec(CHANNELS, 4096);

    private static RawFrame frame(int n) {
        float[][] s = new float[4][n];
        Random r = new Random(5);
        for (float[] ch : s) {
            for (int i = 0; i < n; i++) {
                ch[i] = (float) r.nextGaussian();
            }
        }
        return new RawFrame("motor-17", 42, 1_795_689_600_123L, 13095f, s);
    }

    private String reason(byte[] data) {
        return assertThrows(FrameException.class, () -> codec.decode(data)).getMessage();
    }

    @Test
    void binary_roundTripsExactly_andHasTheDocumentedSize() throws FrameException {
        RawFrame f = frame(256);
        byte[] b = codec.encodeBinary(f);
        assertEquals(32 + 8 + 4 * 4 * 256, b.length);
        RawFrame back = codec.decode(b);
        assertEquals("motor-17", back.deviceId());
        assertEquals(42, back.sequence());
        assertEquals(1_795_689_600_123L, back.timestampMillis());
        assertEquals(13095f, back.sampleRate());
        for (int c = 0; c < 4; c++) {
            assertArrayEquals(f.samples()[c], back.samples()[c]);
        }
    }

    @Test
    void json_roundTrips() throws FrameException {
        RawFrame f = frame(8);
        RawFrame back = codec.decode(codec.encodeJson(f));
        assertEquals(f.deviceId(), back.deviceId());
        for (int c = 0; c < 4; c++) {
            assertArrayEquals(f.samples()[c], back.samples()[c]);
        }
    }

    @Test
    void badBinaryFrames_getPreciseReasons() {
        byte[] good = codec.encodeBinary(frame(16));
        assertEquals("empty frame", reason(new byte[0]));
        assertTrue(reason(Arrays.copyOf(good, 20)).startsWith("truncated frame: 20 bytes"));
        assertEquals("truncated frame: header announces 4 x 16 samples = 296 bytes, got 295",
                reason(Arrays.copyOf(good, good.length - 1)));
        assertEquals("oversized frame: header announces 4 x 16 samples = 296 bytes, got 297",
                reason(Arrays.copyOf(good, good.length + 1)));
        assertEquals("unknown frame version 2 (this node reads 1)", reason(patch(good, 4, 2)));
        assertEquals("not a raw frame: magic is not 'AIOT' (nor is it JSON)", reason(patch(good, 0, 'X')));
        assertEquals("frame has 3 channels, this node expects 4 [current, temperature, vibration, sound]",
                reason(patch(good, 6, 3)));
        assertEquals("device id must be 1-64 bytes without / + # or control characters", reason(patch(good, 8, '/')));
        assertEquals("device id is not valid UTF-8", reason(patch(good, 8, 0xC3)));
        ByteBuffer b = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int samples = 32 + "motor-17".length(); // header with the device id
        b.putFloat(samples, Float.NaN);
        assertEquals("channel current sample 0 is NaN", reason(b.array()));
        b.putFloat(samples, 0f).putFloat(samples + 4 * 16 + 4, Float.POSITIVE_INFINITY);
        assertEquals("channel temperature sample 1 is Infinity", reason(b.array()));
        ByteBuffer r = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        r.putFloat(8 + 8 + 16, -5f);
        assertEquals("impossible sample rate -5.0 Hz (must be above 0 and at most 1 MHz)", reason(r.array()));
        ByteBuffer huge = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        huge.putInt(8 + 8 + 20, 0x7fffffff); // announces 2^31 samples per channel: refused before allocating
        assertEquals("samples per channel must be 1 to 4096, got 2147483647", reason(huge.array()));
    }

    @Test
    void badJsonFrames_getPreciseReasons() {
        String ok = "\"v\":1,\"deviceId\":\"m1\",\"seq\":1,\"rate\":13095";
        assertTrue(reason(utf8("{\"v\":1,")).startsWith("frame is not valid JSON"));
        assertEquals("unknown frame version 7 (this node reads 1)", reason(utf8("{\"v\":7}")));
        assertEquals("deviceId must be a string of 1-64 characters without / + # or control characters",
                reason(utf8("{\"v\":1,\"deviceId\":\"a/b\"}")));
        assertEquals("channels must be an object of name -> array of samples", reason(utf8("{" + ok + "}")));
        assertEquals("channel 'sound' is missing", reason(utf8("{" + ok + ",\"channels\":{\"current\":[1],"
                + "\"temperature\":[1],\"vibration\":[1],\"noise\":[1]}}")));
        assertEquals("channel 'vibration' has 2 samples, 'current' has 1", reason(utf8("{" + ok + ",\"channels\":"
                + "{\"current\":[1],\"temperature\":[1],\"vibration\":[1,2],\"sound\":[1]}}")));
        assertEquals("channel temperature sample 0 is not a number", reason(utf8("{" + ok + ",\"channels\":"
                + "{\"current\":[1],\"temperature\":[\"x\"],\"vibration\":[1],\"sound\":[1]}}")));
        assertEquals("impossible sample rate 0.0 Hz (must be above 0 and at most 1 MHz)", reason(utf8(
                "{\"v\":1,\"deviceId\":\"m1\",\"seq\":1,\"rate\":0,\"channels\":{\"current\":[1],\"temperature\":[1],"
                        + "\"vibration\":[1],\"sound\":[1]}}")));
    }

    @Test
    void randomBytesAndEveryTruncation_onlyEverGiveFrameExceptions() {
        Random r = new Random(99);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[r.nextInt(400)];
            r.nextBytes(junk);
            if (i % 3 == 0 && junk.length > 8) {
                System.arraycopy(new byte[] {'A', 'I', 'O', 'T', 1, 0, 4}, 0, junk, 0, 7); // past the magic
            }
            try {
                codec.decode(junk);
            } catch (FrameException expected) {
                // the only acceptable failure
            }
        }
        byte[] good = codec.encodeBinary(frame(16));
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThrows(FrameException.class, () -> codec.decode(cut), "length " + len);
        }
    }

    private static byte[] patch(byte[] data, int at, int value) {
        byte[] copy = data.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
