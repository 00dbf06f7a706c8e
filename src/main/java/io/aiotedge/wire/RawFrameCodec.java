package io.aiotedge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads and writes raw frames (docs/frames.md): the compact binary format (magic {@code AIOT},
 * little-endian) and the JSON alternative, told apart by the first byte. Every check names what
 * is wrong; sizes are checked against the bytes present before anything is allocated, so a
 * hostile header cannot make it allocate more than the frame's own size. Thread-safe.
 */
public final class RawFrameCodec {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'A', 'I', 'O', 'T'};
    private static final int FIXED_HEADER = 32; // without the device id
    private static final float MAX_RATE = 1_000_000f;

    private final List<String> channels;
    private final int maxSamplesPerChannel;
    private final Json json = Json.mapper();

    /**
     * @param channels the channel names, in the order frames carry them
     * @param maxSamplesPerChannel the most samples per channel a frame may carry
     */
    public RawFrameCodec(List<String> channels, int maxSamplesPerChannel) {
        this.channels = List.copyOf(channels);
        this.maxSamplesPerChannel = maxSamplesPerChannel;
    }

    /** Decodes either format. */
    public RawFrame decode(byte[] data) throws FrameException {
        if (data.length == 0) {
            throw new FrameException("empty frame");
        }
        return data[0] == '{' ? decodeJson(data) : decodeBinary(data);
    }

    public RawFrame decodeBinary(byte[] data) throws FrameException {
        if (data.length < FIXED_HEADER + 1) {
            throw new FrameException("truncated frame: " + data.length + " bytes, the header alone needs at least "
                    + (FIXED_HEADER + 1));
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get() != MAGIC[i]) {
                throw new FrameException("not a raw frame: magic is not 'AIOT' (nor is it JSON)");
            }
        }
        int version = b.get() & 0xff;
        if (version != VERSION) {
            throw new FrameException("unknown frame version " + version + " (this node reads " + VERSION + ")");
        }
        int flags = b.get() & 0xff;
        if (flags != 0) {
            throw new FrameException("unknown frame flags 0x" + Integer.toHexString(flags));
        }
        int channelCount = b.get() & 0xff;
        int idLength = b.get() & 0xff;
        if (idLength == 0 || data.length < FIXED_HEADER + idLength) {
            throw new FrameException("truncated frame: device id of " + idLength + " bytes does not fit in "
                    + data.length + " bytes");
        }
        String deviceId = deviceId(data, 8, idLength);
        b.position(8 + idLength);
        long sequence = b.getLong();
        long timestamp = b.getLong();
        float rate = b.getFloat();
        long perChannel = b.getInt() & 0xffffffffL;
        checkShape(channelCount, perChannel, rate, sequence);
        long expected = FIXED_HEADER + idLength + 4L * channelCount * perChannel;
        if (data.length != expected) {
            throw new FrameException((data.length < expected ? "truncated" : "oversized") + " frame: header announces "
                    + channelCount + " x " + perChannel + " samples = " + expected + " bytes, got " + data.length);
        }
        float[][] samples = new float[channelCount][(int) perChannel];
        for (int c = 0; c < channelCount; c++) {
            for (int i = 0; i < perChannel; i++) {
                samples[c][i] = finite(b.getFloat(), c, i);
            }
        }
        return new RawFrame(deviceId, sequence, timestamp, rate, samples);
    }

    public RawFrame decodeJson(byte[] data) throws FrameException {
        JsonNode n;
        try {
            n = json.readTree(data);
        } catch (IOException e) {
            throw new FrameException("frame is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) {
            throw new FrameException("JSON frame must be an object");
        }
        int version = n.path("v").asInt(-1);
        if (!n.path("v").isInt() || version != VERSION) {
            throw new FrameException("unknown frame version " + n.path("v") + " (this node reads " + VERSION + ")");
        }
        if (!n.path("deviceId").isTextual() || !DeviceIds.valid(n.path("deviceId").asText())) {
            throw new FrameException("deviceId must be a string of " + DeviceIds.RULE);
        }
        if (!n.path("seq").canConvertToLong() || !n.path("seq").isIntegralNumber()) {
            throw new FrameException("seq must be a whole number");
        }
        if (!n.path("rate").isNumber()) {
            throw new FrameException("rate must be a number");
        }
        long ts = n.has("ts") ? n.path("ts").asLong(-1) : 0;
        if (n.has("ts") && !n.path("ts").isIntegralNumber() || ts < 0) {
            throw new FrameException("ts must be epoch milliseconds");
        }
        JsonNode chs = n.path("channels");
        if (!chs.isObject()) {
            throw new FrameException("channels must be an object of name -> array of samples");
        }
        int perChannel = chs.path(channels.get(0)).size();
        checkShape(chs.size(), perChannel, n.path("rate").floatValue(), n.path("seq").asLong());
        float[][] samples = new float[channels.size()][perChannel];
        for (int c = 0; c < channels.size(); c++) {
            JsonNode arr = chs.path(channels.get(c));
            if (!arr.isArray()) {
                throw new FrameException("channel '" + channels.get(c) + "' is missing");
            }
            if (arr.size() != perChannel) {
                throw new FrameException("channel '" + channels.get(c) + "' has " + arr.size() + " samples, '"
                        + channels.get(0) + "' has " + perChannel);
            }
            for (int i = 0; i < perChannel; i++) {
                if (!arr.get(i).isNumber()) {
                    throw new FrameException("channel " + channels.get(c) + " sample " + i + " is not a number");
                }
                samples[c][i] = finite(arr.get(i).floatValue(), c, i);
            }
        }
        return new RawFrame(n.path("deviceId").asText(), n.path("seq").asLong(), ts, n.path("rate").floatValue(),
                samples);
    }

    private void checkShape(int channelCount, long perChannel, float rate, long sequence) throws FrameException {
        if (channelCount != channels.size()) {
            throw new FrameException("frame has " + channelCount + " channels, this node expects " + channels.size()
                    + " " + channels);
        }
        if (perChannel < 1 || perChannel > maxSamplesPerChannel) {
            throw new FrameException(
                    "samples per channel must be 1 to " + maxSamplesPerChannel + ", got " + perChannel);
        }
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new FrameException("impossible sample rate " + rate + " Hz (must be above 0 and at most 1 MHz)");
        }
        if (sequence < 0) {
            throw new FrameException("sequence must not be negative, got " + sequence);
        }
    }

    private float finite(float v, int channel, int index) throws FrameException {
        if (!Float.isFinite(v)) {
            throw new FrameException("channel " + channels.get(channel) + " sample " + index + " is " + v);
        }
        return v;
    }

    private static String deviceId(byte[] data, int offset, int length) throws FrameException {
        String id;
        try {
            id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FrameException("device id is not valid UTF-8");
        }
        if (!DeviceIds.valid(id) || length > 64) {
            throw new FrameException("device id must be 1-64 bytes without / + # or control characters");
        }
        return id;
    }

    /** The binary form of a frame (channels in this codec's order). */
    public byte[] encodeBinary(RawFrame f) {
        byte[] id = f.deviceId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(FIXED_HEADER + id.length + 4 * f.channels() * f.samplesPerChannel())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) VERSION).put((byte) 0).put((byte) f.channels()).put((byte) id.length).put(id);
        b.putLong(f.sequence()).putLong(f.timestampMillis()).putFloat(f.sampleRate()).putInt(f.samplesPerChannel());
        for (float[] ch : f.samples()) {
            for (float v : ch) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    /** The JSON form of a frame. */
    public byte[] encodeJson(RawFrame f) {
        ObjectNode n = json.createObjectNode().put("v", VERSION).put("deviceId", f.deviceId()).put("seq", f.sequence())
                .put("ts", f.timestampMillis()).put("rate", f.sampleRate());
        ObjectNode chs = n.putObject("channels");
        for (int c = 0; c < f.channels(); c++) {
            ArrayNode a = chs.putArray(channels.get(c));
            for (float v : f.samples()[c]) {
                a.add(v);
            }
        }
        try {
            return json.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
