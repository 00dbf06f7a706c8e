package io.aiotedge.api;

import io.aiotedge.alerts.Alert;
import io.aiotedge.config.LiveConfig;
import io.aiotedge.core.LiveFeed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The console's live state, fed by the producers ({@link LiveFeed}): per device the last
 * telemetry, a ring of the last {@value #RECENT_ROWS} feature rows (what a device stream sends
 * next), a ring of the last {@code console.sparklinePoints} scores, band and since when, and the
 * model. Each update is O(1) under the device's own lock and allocates nothing beyond the row;
 * nothing here waits on a reader. At most {@value #MAX_DEVICES} devices are tracked (telemetry
 * from more ids is counted and ignored), so the memory is bounded: about 2 KB per device with the
 * defaults. Thread-safe.
 */
public final class LiveHub implements LiveFeed {
    static final int RECENT_ROWS = 16;
    static final int MAX_DEVICES = 20_000;
    private static final int MAX_PENDING_ALERTS = 256;

    private final ConcurrentHashMap<String, DeviceLive> devices = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Alert> alerts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingAlerts = new AtomicInteger();
    private final AtomicLong ignored = new AtomicLong();
    /** Moves with every update; a device's {@code changed} is the value at its last update. */
    private final AtomicLong clock = new AtomicLong();
    private final int sparklinePoints;

    public LiveHub(LiveConfig config) {
        this.sparklinePoints = config.sparklinePoints();
    }

    /** One device's live state; guarded by itself. */
    static final class DeviceLive {
        final String id;
        long lastSeen;
        String band;
        long bandSince;
        Double score;
        String model;
        Integer modelVersion;
        long changed;
        List<String> names = List.of();
        final long[] rowTs = new long[RECENT_ROWS];
        final float[][] rows = new float[RECENT_ROWS][];
        long rowsTotal;
        final long[] scoreTs;
        final float[] scores;
        long scoresTotal;

        DeviceLive(String id, int sparkline) {
            this.id = id;
            this.scoreTs = new long[sparkline];
            this.scores = new float[sparkline];
        }
    }

    @Override
    public void telemetry(String deviceId, long ts, List<String> names, double[] values) {
        DeviceLive d = device(deviceId);
        if (d == null) {
            return;
        }
        float[] row = new float[values.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) values[i];
        }
        synchronized (d) {
            if (!d.names.equals(names)) {
                d.names = List.copyOf(names);
                d.rowsTotal = 0;
            }
            int at = (int) (d.rowsTotal % RECENT_ROWS);
            d.rowTs[at] = ts;
            d.rows[at] = row;
            d.rowsTotal++;
            d.lastSeen = Math.max(d.lastSeen, ts);
            d.changed = clock.incrementAndGet();
        }
    }

    @Override
    public void score(String deviceId, long ts, double score, String band, String model, int version) {
        DeviceLive d = device(deviceId);
        if (d == null) {
            return;
        }
        synchronized (d) {
            int at = (int) (d.scoresTotal % d.scores.length);
            d.scoreTs[at] = ts;
            d.scores[at] = (float) score;
            d.scoresTotal++;
            setBand(d, band, ts);
            d.score = score;
            d.model = model;
            d.modelVersion = version;
            d.lastSeen = Math.max(d.lastSeen, ts);
            d.changed = clock.incrementAndGet();
        }
    }

    /** A stored alert: queued for the fleet streams; its band stands when no score came later. */
    @Override
    public void alert(String deviceId, Object alert) {
        if (!(alert instanceof Alert a)) {
            return;
        }
        if (pendingAlerts.incrementAndGet() > MAX_PENDING_ALERTS) {
            alerts.poll();
            pendingAlerts.decrementAndGet();
        }
        alerts.add(a);
        DeviceLive d = deviceId == null ? null : device(deviceId); // null: the platform's alert about a model
        if (d != null && a.band() != null) {
            synchronized (d) {
                if (a.ts() >= d.bandSince) {
                    setBand(d, a.band(), a.ts());
                    d.score = a.score() != null ? a.score() : d.score;
                    d.changed = clock.incrementAndGet();
                }
            }
        }
    }

    private static void setBand(DeviceLive d, String band, long ts) {
        if (band != null && !band.equals(d.band)) {
            d.band = band;
            d.bandSince = ts;
        }
    }

    private DeviceLive device(String id) {
        DeviceLive d = devices.get(id);
        if (d != null) {
            return d;
        }
        if (devices.size() >= MAX_DEVICES) {
            ignored.incrementAndGet();
            return null;
        }
        return devices.computeIfAbsent(id, k -> new DeviceLive(k, sparklinePoints));
    }

    /** The update counter now: pass it to {@link #changedSince} next time. */
    long now() {
        return clock.get();
    }

    Collection<DeviceLive> all() {
        return devices.values();
    }

    DeviceLive get(String id) {
        return devices.get(id);
    }

    /** Devices updated after {@code mark}. */
    List<DeviceLive> changedSince(long mark) {
        List<DeviceLive> out = new ArrayList<>();
        for (DeviceLive d : devices.values()) {
            synchronized (d) {
                if (d.changed > mark) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** The alerts stored since the last call, oldest first. */
    List<Alert> drainAlerts() {
        List<Alert> out = new ArrayList<>();
        Alert a;
        while ((a = alerts.poll()) != null) {
            pendingAlerts.decrementAndGet();
            out.add(a);
        }
        return out;
    }

    long ignoredDevices() {
        return ignored.get();
    }

    /** The sparkline: the device's recent scores, oldest first (its lock held by the caller). */
    static List<Double> sparkline(DeviceLive d) {
        int n = (int) Math.min(d.scoresTotal, d.scores.length);
        List<Double> out = new ArrayList<>(n);
        for (long i = d.scoresTotal - n; i < d.scoresTotal; i++) {
            out.add(round(d.scores[(int) (i % d.scores.length)]));
        }
        return out;
    }

    /** Score points {@code [ts, score]} after the {@code after}-th, oldest first (lock held by the caller). */
    static List<List<Object>> scoresAfter(DeviceLive d, long after) {
        long from = Math.max(after, d.scoresTotal - d.scores.length);
        List<List<Object>> out = new ArrayList<>();
        for (long i = from; i < d.scoresTotal; i++) {
            int at = (int) (i % d.scores.length);
            out.add(List.of(d.scoreTs[at], round(d.scores[at])));
        }
        return out;
    }

    /** Feature rows {@code [ts, v...]} after the {@code after}-th, oldest first (lock held by the caller). */
    static List<List<Object>> rowsAfter(DeviceLive d, long after) {
        long from = Math.max(after, d.rowsTotal - RECENT_ROWS);
        List<List<Object>> out = new ArrayList<>();
        for (long i = from; i < d.rowsTotal; i++) {
            int at = (int) (i % RECENT_ROWS);
            List<Object> row = new ArrayList<>(d.rows[at].length + 1);
            row.add(d.rowTs[at]);
            for (float v : d.rows[at]) {
                row.add(round(v));
            }
            out.add(row);
        }
        return out;
    }

    static double round(float v) {
        return Float.isFinite(v) ? Math.round(v * 10_000.0) / 10_000.0 : 0.0;
    }

    /** The live fields of the fleet row (lock held by the caller). */
    static void putLive(DeviceLive d, Map<String, Object> row) {
        row.put("lastSeen", d.lastSeen == 0 ? null : d.lastSeen);
        row.put("band", d.band);
        row.put("bandSince", d.band == null ? null : d.bandSince);
        row.put("score", d.score == null ? null : round(d.score.floatValue()));
        if (d.modelVersion != null) {
            row.put("modelVersion", d.modelVersion);
        }
    }
}
