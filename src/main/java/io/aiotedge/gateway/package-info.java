/**
 * The things-gateway component: raw frames from {@code aiot/v1/things/+/raw} in, telemetry on
 * {@code aiot/v1/things/{id}/telemetry} out (features by {@code dsp}), frames it cannot read to
 * {@code aiot/v1/deadletter/{id}}, optional per-device summaries on {@code .../telemetry/agg}, and
 * each window handed in-process to the {@link io.aiotedge.wire.TelemetryListener}s (closed-loop
 * inference on the same node). An MQTT client of its broker, like a device.
 */
package io.aiotedge.gateway;
