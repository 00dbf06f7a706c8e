package io.aiotedge.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band continuity while a rollout candidate is loaded. The {@link Scoring} tracker holds the band
 * of the model <em>serving</em> each device; this class holds a second tracker for the model
 * scored beside it, and remembers per device which version each tracker follows. When the model
 * serving a device changes (a canary starts or is rolled back, or the candidate becomes champion),
 * the two states are exchanged if the second tracker followed the model now serving, so the device
 * keeps the band that model had reached and no spurious band change is alerted; otherwise the
 * device starts over in OK. Without a rollout (and once the last switch is settled) nothing is kept.
 * Per device, calls must come in order (as for {@link ConditionTracker}).
 */
final class SlotBands {
    private final ConditionTracker compare;
    private final Map<String, Integer> servedVersion = new ConcurrentHashMap<>();
    private final Map<String, Integer> compareVersion = new ConcurrentHashMap<>();

    SlotBands(ConditionTracker compare) {
        this.compare = compare;
    }

    ConditionTracker compare() {
        return compare;
    }

    /** Nothing to settle: no device was scored beside a candidate. */
    boolean idle() {
        return servedVersion.isEmpty();
    }

    /**
     * Before a window of {@code device} is scored by {@code served} (into {@code tracker}) and by
     * {@code other} (into {@link #compare}; 0 = no second model any more).
     */
    void prepare(String device, int served, int other, ConditionTracker tracker) {
        Integer was = servedVersion.get(device);
        if (was != null && was != served) {
            Integer followed = compareVersion.get(device);
            if (followed != null && followed == served) {
                tracker.swap(device, compare);
                compareVersion.put(device, was);
            } else {
                tracker.forget(java.util.List.of(device));
            }
        }
        if (other == 0) {
            servedVersion.remove(device);
            compareVersion.remove(device);
            compare.forget(java.util.List.of(device));
            return;
        }
        Integer followed = compareVersion.get(device);
        if (followed == null || followed != other) {
            compare.forget(java.util.List.of(device));
            compareVersion.put(device, other);
        }
        servedVersion.put(device, served);
    }

    void forget(java.util.Collection<String> devices) {
        devices.forEach(d -> {
            servedVersion.remove(d);
            compareVersion.remove(d);
        });
        compare.forget(devices);
    }
}
