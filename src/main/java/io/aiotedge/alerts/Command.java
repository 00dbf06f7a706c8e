package io.aiotedge.alerts;

/** A stored servo (or other) command sent to a device over {@code aiot.control}. */
public record Command(long id, String deviceId, String command, Integer angle, String reason, long ts) {
}
