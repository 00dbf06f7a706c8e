package io.aiotedge.support.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a test read from aiot.raw and aiot.telemetry, frames named "deviceId#sequence" (the
 * simulator's tick): raw records with their message ids, telemetry counted per frame.
 */
public final class FrameLedger {
    private final TopicReader rawReader;
    private final TopicReader telemetryReader;
    private final List<TopicReader.Rec> raw = new ArrayList<>();
    private final Map<String, Integer> telemetry = new HashMap<>();
    private final TelemetryCodec codec = new TelemetryCodec();

    public FrameLedger(TopicReader raw, TopicReader telemetry) {
        this.rawReader = raw;
        this.telemetryReader = telemetry;
    }

    public void read() throws Exception {
        raw.addAll(rawReader.readToEnd());
        for (TopicReader.Rec r : telemetryReader.readToEnd()) {
            Telemetry t = codec.decode(r.value());
            telemetry.merge(t.deviceId() + "#" + t.sequence(), 1, Integer::sum);
        }
    }

    public Set<String> rawKeys() {
        return raw.stream().map(TopicReader.Rec::frameKey).collect(Collectors.toSet());
    }

    public int rawRecords() {
        return raw.size();
    }

    public long rawDistinct() {
        return rawKeys().size();
    }

    public Map<String, Integer> telemetryCounts() {
        return telemetry;
    }

    public long maxTick() {
        return raw.stream().mapToLong(r -> tick(r.frameKey())).max().orElse(-1);
    }

    /** The latest tick every one of {@code motors} motors has a frame of, -1 while one has none. */
    public long slowestMotorTick(int motors) {
        Map<String, Long> latest = new HashMap<>();
        rawKeys().forEach(k -> latest.merge(k.substring(0, k.indexOf('#')), tick(k), Math::max));
        return latest.size() < motors ? -1 : latest.values().stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    /** The longest time between two raw frames the platform broker received after {@code since}, ms. */
    public long longestGapSince(long since) {
        long[] at = raw.stream().mapToLong(TopicReader.Rec::receivedAt).filter(t -> t >= since).sorted().toArray();
        long gap = 0;
        for (int i = 1; i < at.length; i++) {
            gap = Math.max(gap, at[i] - at[i - 1]);
        }
        return gap;
    }

    /** A frame stored twice only as the bridge's own repeat: same aiot.messageId (docs/bridge.md). */
    public void assertDuplicatesShareAMessageId() {
        Map<String, Set<String>> ids = new HashMap<>();
        raw.forEach(r -> ids.computeIfAbsent(r.frameKey(), k -> new HashSet<>()).add(r.messageId()));
        ids.forEach((k, v) -> assertEquals(1, v.size(), k + " stored under message ids " + v));
    }

    public static long tick(String key) {
        return Long.parseLong(key.substring(key.indexOf('#') + 1));
    }

    /** The raw frames' keys of ticks {@code first..last}. */
    public Set<String> keysBetween(long first, long last) {
        return rawKeys().stream().filter(k -> tick(k) >= first && tick(k) <= last).collect(Collectors.toSet());
    }
}
