package io.aiotedge.wire;

/** The one rule for device ids on the wire: 1-64 characters that can stand as one MQTT topic level. */
final class DeviceIds {
    static final String RULE = "1-64 characters without / + # or control characters";

    private DeviceIds() {
    }

    static boolean valid(String id) {
        return id != null && id.length() <= 64 && TopicNames.isSafeSegment(id);
    }
}
