package io.aiotedge.devices;

/**
 * One device's latest report about one model: downloading, verified, active or failed.
 *
 * @param updatedAt epoch ms of the report
 */
public record DeviceRollout(String deviceId, String modelName, int version, String state, String detail,
        long updatedAt) {
}
