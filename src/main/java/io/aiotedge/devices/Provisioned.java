package io.aiotedge.devices;

/**
 * The answer to a provisioning: the only time the secret is ever shown.
 *
 * @param secret the MQTT password (user name = device id)
 * @param token the HTTP bearer token, {@code <deviceId>.<secret>}
 */
public record Provisioned(Device device, String secret, String token) {
}
