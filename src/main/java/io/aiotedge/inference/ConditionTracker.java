package io.aiotedge.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-device condition bands OK / WARNING / FAILURE with hysteresis and confirmation: a higher
 * band is entered after {@code confirm} consecutive windows at or above its threshold, a band is
 * left only when the score falls {@code hysteresis} below its threshold, so a motor hovering at
 * a threshold does not flap. {@link #update} returns the change, if any, so each change is
 * alerted once. Thread-safe per device (updates of one device must come in order).
 */
public final class ConditionTracker {
    public enum Band { OK, WARNING, FAILURE }

    /** A band change. */
    public record Change(String deviceId, Band from, Band to, double score) {
    }

    private static final class State {
        Band band = Band.OK;
        int above; // consecutive windows at or above the next band's threshold
    }

    private final double warning;
    private final double failure;
    private final double hysteresis;
    private final int confirm;
    private final Map<String, State> devices = new ConcurrentHashMap<>();

    public ConditionTracker(double warning, double failure, double hysteresis, int confirm) {
        this.warning = warning;
        this.failure = failure;
        this.hysteresis = hysteresis;
        this.confirm = confirm;
    }

    /** Null when the band stays. */
    public Change update(String deviceId, double score) {
        State s = devices.computeIfAbsent(deviceId, k -> new State());
        synchronized (s) {
            Band raw = score >= failure ? Band.FAILURE : score >= warning ? Band.WARNING : Band.OK;
            Band next = s.band;
            if (raw.ordinal() > s.band.ordinal()) {
                s.above++;
                if (s.above >= confirm) {
                    next = raw;
                }
            } else {
                s.above = 0;
                double leave = (s.band == Band.FAILURE ? failure : warning) - hysteresis;
                if (s.band != Band.OK && score < leave) {
                    next = score >= warning ? Band.WARNING : Band.OK;
                }
            }
            if (next == s.band) {
                return null;
            }
            Change c = new Change(deviceId, s.band, next, score);
            s.band = next;
            s.above = 0;
            return c;
        }
    }

    public Band band(String deviceId) {
        State s = devices.get(deviceId);
        return s == null ? Band.OK : s.band;
    }

    /**
     * Exchanges one device's band state with {@code other}'s (a device that moves between the
     * champion and a rollout candidate keeps the band the model now serving it had reached).
     */
    public void swap(String deviceId, ConditionTracker other) {
        State mine = devices.remove(deviceId);
        State theirs = other.devices.remove(deviceId);
        if (theirs != null) {
            devices.put(deviceId, theirs);
        }
        if (mine != null) {
            other.devices.put(deviceId, mine);
        }
    }

    /** Drops devices this node no longer scores (their partitions moved to another node). */
    public void forget(java.util.Collection<String> deviceIds) {
        deviceIds.forEach(devices::remove);
    }

    /** Devices per band now. */
    public Map<Band, Integer> census() {
        Map<Band, Integer> out = new java.util.EnumMap<>(Band.class);
        for (Band b : Band.values()) {
            out.put(b, 0);
        }
        devices.values().forEach(s -> out.merge(s.band, 1, Integer::sum));
        return out;
    }
}
