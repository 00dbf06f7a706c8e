/**
 * The device registry: provisioning with per-device credentials, activation, revocation, and the
 * status devices report (online, last seen, firmware and model version, rollout state). It
 * authenticates devices for the broker and the HTTP API, and learns connections from the broker
 * through {@link io.aiotedge.core.mqtt.ClientEvents}.
 */
package io.aiotedge.devices;
