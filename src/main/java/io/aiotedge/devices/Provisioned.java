package io.aiotedge.devices;

/**
 * The answer to a provisioning: the only time the secret is ever shown.
 *
 * @param secret the MQTT password (user name = device id)
 * @param token the HTTP bearer token, {@code <deviceId>.<secret>}
 * @param activationCode for a device provisioned through {@code /provisionDevice}: the one-time
 *     code it may present to {@code /confirmActivation} instead of an admin activating it; else null
 */
public record Provisioned(Device device, String secret, String token, String activationCode) {
}
