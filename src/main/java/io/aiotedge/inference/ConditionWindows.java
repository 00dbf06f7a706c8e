package io.aiotedge.inference;

import io.aiotedge.inference.ConditionTracker.Band;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Aggregates each device's scores over tumbling windows of a fixed length (by the telemetry's own
 * timestamps): windows scored, mean and max score, and how many windows fell in each band, for
 * the window in progress and the last complete one; plus the device's current band and since
 * when. This is what {@code GET /api/v1/conditions} shows. Thread-safe; one device's updates are
 * expected in order (they come from one partition or one scoring thread).
 */
public final class ConditionWindows {

    /** One window's aggregate. {@code perBand} counts windows by the band their score alone falls in. */
    public record Window(long startMillis, long endMillis, int windows, double meanScore, double maxScore,
            Map<Band, Integer> perBand) {
    }

    /** A device's condition now. {@code last} is null until a first window completes. */
    public record DeviceCondition(String deviceId, Band band, long bandSinceMillis, double lastScore,
            long lastSeenMillis, int modelVersion, long scored, Window current, Window last) {
    }

    private static final class Acc {
        long start;
        int count;
        double sum;
        double max;
        final int[] perBand = new int[Band.values().length];

        Acc(long start) {
            this.start = start;
        }

        Window snapshot(long length) {
            Map<Band, Integer> m = new java.util.EnumMap<>(Band.class);
            for (Band b : Band.values()) {
                m.put(b, perBand[b.ordinal()]);
            }
            return new Window(start, start + length, count, count == 0 ? 0 : sum / count, max, m);
        }
    }

    private static final class State {
        Band band = Band.OK;
        long since;
        double lastScore;
        long lastSeen;
        int modelVersion;
        long scored;
        Acc current;
        Window last;
    }

    private final long lengthMillis;
    private final double warning;
    private final double failure;
    private final Map<String, State> devices = new ConcurrentHashMap<>();

    public ConditionWindows(long lengthMillis, double warning, double failure) {
        if (lengthMillis <= 0) {
            throw new IllegalArgumentException("window length must be positive");
        }
        this.lengthMillis = lengthMillis;
        this.warning = warning;
        this.failure = failure;
    }

    /** Records one scored window; {@code band} is the device's band after it (hysteresis applied). */
    public void record(String deviceId, long timestampMillis, double score, Band band, int modelVersion) {
        State s = devices.computeIfAbsent(deviceId, k -> new State());
        synchronized (s) {
            long start = Math.floorDiv(timestampMillis, lengthMillis) * lengthMillis;
            if (s.current == null) {
                s.current = new Acc(start);
                s.since = timestampMillis;
            } else if (start > s.current.start) {
                s.last = s.current.snapshot(lengthMillis);
                s.current = new Acc(start);
            }
            Acc a = s.current;
            a.count++;
            a.sum += score;
            a.max = a.count == 1 ? score : Math.max(a.max, score);
            a.perBand[(score >= failure ? Band.FAILURE : score >= warning ? Band.WARNING : Band.OK).ordinal()]++;
            if (band != s.band) {
                s.band = band;
                s.since = timestampMillis;
            }
            s.lastScore = score;
            s.lastSeen = Math.max(s.lastSeen, timestampMillis);
            s.modelVersion = modelVersion;
            s.scored++;
        }
    }

    public Optional<DeviceCondition> device(String deviceId) {
        State s = devices.get(deviceId);
        return s == null ? Optional.empty() : Optional.of(snapshot(deviceId, s));
    }

    /** Every device seen, by device id. */
    public List<DeviceCondition> all() {
        List<DeviceCondition> out = new ArrayList<>(devices.size());
        devices.forEach((id, s) -> out.add(snapshot(id, s)));
        out.sort(Comparator.comparing(DeviceCondition::deviceId));
        return out;
    }

    /** Drops devices this node no longer scores (their partitions moved to another node). */
    public void forget(java.util.Collection<String> deviceIds) {
        deviceIds.forEach(devices::remove);
    }

    public long windowMillis() {
        return lengthMillis;
    }

    private DeviceCondition snapshot(String id, State s) {
        synchronized (s) {
            return new DeviceCondition(id, s.band, s.since, s.lastScore, s.lastSeen, s.modelVersion, s.scored,
                    s.current == null ? null : s.current.snapshot(lengthMillis), s.last);
        }
    }
}
