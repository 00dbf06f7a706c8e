/**
 * The device registry: provisioning with per-device credentials, activation, revocation, and the
 * status devices report (online, last seen, firmware and model version, rollout state); and the
 * model-download tokens of inference nodes. It authenticates devices for the broker and the HTTP
 * API, learns connections from the broker through {@link io.aiotedge.core.mqtt.ClientEvents},
 * and answers the bridge downlink's question which devices exist
 * ({@link io.aiotedge.core.DeviceDirectory}).
 */
package io.aiotedge.devices;
