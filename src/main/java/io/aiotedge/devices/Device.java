package io.aiotedge.devices;

import java.util.Map;

/**
 * A registered device as the API shows it (never its secret).
 *
 * @param state provisioned (credentials issued), active (the device confirmed), revoked
 * @param lastSeen epoch ms of the last connect, disconnect or status report; null = never
 */
public record Device(String id, String type, Map<String, Object> metadata, State state, long createdAt,
        Long activatedAt, Long revokedAt, boolean online, Long lastSeen, String firmwareVersion,
        String modelVersion) {

    public enum State { PROVISIONED, ACTIVE, REVOKED }

    public Device {
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }
}
