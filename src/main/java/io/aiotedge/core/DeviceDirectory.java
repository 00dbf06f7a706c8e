package io.aiotedge.core;

/**
 * Which device ids stand for a device this node knows, without the asker importing the device
 * registry; implemented by {@code devices.DeviceRegistry}. The bridge downlink asks it before it
 * turns a Kafka record keyed by a device id into a publish on that device's topics. Thread-safe.
 */
public interface DeviceDirectory {

    /**
     * True when {@code deviceId} is a registered device that is not revoked (provisioned or
     * active). Reads the current state on every call, so a revocation counts at once; throws only
     * when the state cannot be read (a retriable failure, not a "no").
     */
    boolean isActive(String deviceId);
}
