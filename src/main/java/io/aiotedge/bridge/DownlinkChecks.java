package io.aiotedge.bridge;

import io.aiotedge.config.DownlinkMapping;
import io.aiotedge.core.AnnouncementVerifier;
import io.aiotedge.core.Checks;
import io.aiotedge.core.DeviceDirectory;

/**
 * What a downlink mapping allows through besides a well-formed key: the key allow-list
 * ({@code keys: registered-devices}) and the payload check ({@code verify: model-announcement}).
 * Anyone who can write to Kafka could otherwise publish into the broker past its ACLs (a servo
 * command for any device, a retained model announcement for every device). Thread-safe.
 */
final class DownlinkChecks {
    private final DeviceDirectory devices;
    private final AnnouncementVerifier announcements;

    DownlinkChecks(DeviceDirectory devices, AnnouncementVerifier announcements) {
        this.devices = Checks.notNull(devices, "Device directory");
        this.announcements = Checks.notNull(announcements, "Announcement verifier");
    }

    /**
     * Why the record must be dead-lettered, or null when it may be published. Throws when the
     * device directory cannot be read: the record is retried, never dropped or let through.
     *
     * @param key the record key as text (a valid topic level when the mapping uses {@code {key}})
     */
    String refusal(DownlinkMapping m, String key, byte[] payload) {
        if (m.keys() == DownlinkMapping.Keys.REGISTERED_DEVICES && (key == null || !devices.isActive(key))) {
            return "record key " + (key == null ? "(none)" : "'" + key + "'")
                    + " is not a registered, non-revoked device (" + m.kafka() + " -> " + m.mqtt()
                    + " forwards registered-devices only)";
        }
        if (m.verify() == DownlinkMapping.Verify.MODEL_ANNOUNCEMENT) {
            return announcements.reject(key, payload).orElse(null);
        }
        if (m.verify() == DownlinkMapping.Verify.ROLLOUT) {
            return announcements.rejectRollout(key, payload).orElse(null);
        }
        return null;
    }
}
