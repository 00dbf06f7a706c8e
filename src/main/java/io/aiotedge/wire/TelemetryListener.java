package io.aiotedge.wire;

/**
 * Receives each telemetry message the gateway produces, in-process, before it is published: the
 * hook for closed-loop inference on the same node. Called on the gateway's thread, so it must
 * hand work off rather than block.
 */
@FunctionalInterface
public interface TelemetryListener {
    void onTelemetry(Telemetry telemetry);
}
