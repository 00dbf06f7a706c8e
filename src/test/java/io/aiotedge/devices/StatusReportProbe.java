package io.aiotedge.devices;

/** Lets tests outside the package run the registry's status parser. */
public final class StatusReportProbe {
    private StatusReportProbe() {
    }

    public static String rolloutState(byte[] payload) {
        return StatusReport.parse(payload).rollout().state();
    }
}
